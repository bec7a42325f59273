import { definePlugin } from '@brickyard/sdk';
import { Module } from '@nestjs/common';
import { CreateUsers1764600000000 } from '../migrations/1764600000000-create-users';
import { CreatePasswordResets1764600100000 } from '../migrations/1764600100000-create-password-resets';
import { ProfilesAndFollows1764600200000 } from '../migrations/1764600200000-profiles-and-follows';
import { CreateAvatars1764600300000 } from '../migrations/1764600300000-create-avatars';
import { Avatar } from './avatar.entity';
import { Follow } from './follow.entity';
import { PasswordReset } from './password-reset.entity';
import { AccountsService } from './accounts.service';
import { AuthController, ResetController, UsersController } from './auth.controller';
import { AvatarsController } from './avatars.controller';
import { AvatarsService } from './avatars.service';
import { accountsCommands } from './commands';
import { accountsSettings } from './settings';
import { User } from './user.entity';

@Module({ controllers: [AuthController, ResetController, UsersController, AvatarsController], providers: [AccountsService, AvatarsService] })
class AccountsModule {}

/**
 * The built-in accounts plugin: users in its own table, sessions through the
 * engine's identity service (capability identity:sessions), so every plugin
 * reads the signed-in user the same way (`@CurrentIdentity()`).
 */
export default definePlugin({
  module: AccountsModule,
  entities: [User, PasswordReset, Follow, Avatar],
  migrations: [CreateUsers1764600000000, CreatePasswordResets1764600100000, ProfilesAndFollows1764600200000, CreateAvatars1764600300000],
  settings: accountsSettings,
  commands: accountsCommands,
});
