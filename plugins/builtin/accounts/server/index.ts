import { definePlugin } from '@brickyard/sdk';
import { Module } from '@nestjs/common';
import { CreateUsers1764600000000 } from '../migrations/1764600000000-create-users';
import { AccountsService } from './accounts.service';
import { AuthController, UsersController } from './auth.controller';
import { accountsCommands } from './commands';
import { accountsSettings } from './settings';
import { User } from './user.entity';

@Module({ controllers: [AuthController, UsersController], providers: [AccountsService] })
class AccountsModule {}

/**
 * The built-in accounts plugin: users in its own table, sessions through the
 * engine's identity service (capability identity:sessions), so every plugin
 * reads the signed-in user the same way (`@CurrentIdentity()`).
 */
export default definePlugin({
  module: AccountsModule,
  entities: [User],
  migrations: [CreateUsers1764600000000],
  settings: accountsSettings,
  commands: accountsCommands,
});
