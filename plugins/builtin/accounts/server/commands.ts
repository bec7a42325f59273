import { BrickyardError, defineCommand } from '@brickyard/sdk';
import { hash } from '@node-rs/argon2';
import { createInterface } from 'node:readline';
import { ARGON2 } from './accounts.service';
import { User } from './user.entity';

/** The password, from standard input: prompted for on a terminal (not echoed), read whole when piped. Never an argument. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  const prompt = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  (prompt as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (text) => {
    if (text.startsWith('password')) process.stdout.write(text); // the prompt, not the keys typed
  };
  return new Promise((resolve) => prompt.question('password: ', (answer) => (prompt.close(), process.stdout.write('\n'), resolve(answer))));
}

/** `npx brickyard user …` */
export const accountsCommands = {
  create: defineCommand({
    description: 'create an account; the password is read from standard input',
    arguments: '<username>',
    options: [
      { flags: '--email <email>', description: 'the account\'s email' },
      { flags: '--admin', description: 'make it an admin' },
    ],
    async run([username], options, context) {
      const email = String(options.email ?? '');
      if (!/^[A-Za-z0-9_.-]{3,40}$/.test(username ?? '')) throw new BrickyardError('invalid_params', 'the username is 3 to 40 letters, digits, _ . or -');
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new BrickyardError('invalid_params', '--email <email> is required');
      const password = await readPassword();
      if (password.length < 8) throw new BrickyardError('invalid_params', 'the password needs at least 8 characters (read from standard input)');
      const users = context.repository(User);
      if (await users.findOne({ where: [{ username }, { email }] })) throw new BrickyardError('conflict', `an account named ${username} or with ${email} exists`);
      const user = await users.save(users.create({ username, email, passwordHash: await hash(password, ARGON2), role: options.admin ? 'admin' : 'user' }));
      console.log(`created ${user.role} ${user.username} (id ${user.id})`);
    },
  }),
};
