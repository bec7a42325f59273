import { definePlugin } from '@brickyard/sdk';
import { Module } from '@nestjs/common';
import { CreateForum1765200000000 } from '../migrations/1765200000000-create-forum';
import { RegistryExperiences1765300000000 } from '../migrations/1765300000000-registry-experiences';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';
import { CommentsController } from './comments.controller';
import { CommentsService } from './comments.service';
import { ExperiencesController, UserExperiencesController } from './experiences.controller';
import { ExperiencesService } from './experiences.service';
import { ForumNews } from './forum-news';
import { RegistryExperiences } from './registry-experiences';
import { forumSettings } from './settings';
import { TimelineController } from './timeline.controller';
import { TimelineService } from './timeline.service';
import { VotesController } from './votes.controller';
import { VotesService } from './votes.service';

@Module({
  controllers: [ExperiencesController, UserExperiencesController, CommentsController, VotesController, AttachmentsController, TimelineController],
  providers: [ExperiencesService, CommentsService, VotesService, AttachmentsService, TimelineService, ForumNews, RegistryExperiences],
})
class ForumModule {}

/**
 * The built-in forum (issue 12): experiences on parts, threaded comments,
 * votes, attachments, the timeline, and the Registry's own reviews of parts
 * (fetched from its Experience pages). It works on the host's database
 * (capability `database`): its own forum_ tables, and it reads accounts_follows
 * and parts_watches and keeps part_forum_stats' experience counters.
 */
export default definePlugin({
  module: ForumModule,
  migrations: [CreateForum1765200000000, RegistryExperiences1765300000000],
  settings: forumSettings,
});
