-- The schema the core migrations build on a fresh database (test/migrations/migrations.test.ts).
-- Server: MariaDB 10.11
-- Migrations: KernelTables1763780000000, Tasks1763780200000, SnapshotImports1763780300000, PartsViews1763780400000, PartsSequences1763780500000, PartWeightsById1763780600000, RankingState1763780700000, PluginGrants1763780800000, NoticesAndActivities1763780900000, RankingStateMinima1763781000000, PlatformEvents1763781100000, PluginSubmissions1763781300000

-- <app>
CREATE DATABASE `<app>` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci */;

CREATE TABLE `activities` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `type` varchar(32) NOT NULL,
  `user_id` varchar(64) NOT NULL,
  `username` varchar(64) NOT NULL,
  `part_name` varchar(255) DEFAULT NULL,
  `target_type` varchar(64) DEFAULT NULL,
  `target_id` varchar(128) DEFAULT NULL,
  `params` text NOT NULL COMMENT 'JSON',
  `plugin` varchar(64) NOT NULL COMMENT 'the plugin that recorded it',
  `created_at` timestamp(3) NOT NULL DEFAULT current_timestamp(3),
  PRIMARY KEY (`id`),
  KEY `by_user` (`user_id`,`id`),
  KEY `by_username` (`username`,`id`),
  KEY `by_part` (`part_name`,`id`),
  KEY `by_target` (`target_type`,`target_id`),
  KEY `by_type` (`type`,`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `config_overrides` (
  `key` varchar(64) NOT NULL,
  `value` text NOT NULL COMMENT 'the value as JSON text',
  `updated_at` timestamp(3) NOT NULL DEFAULT current_timestamp(3) ON UPDATE current_timestamp(3),
  PRIMARY KEY (`key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `migrations` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `timestamp` bigint(20) NOT NULL,
  `name` varchar(255) NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `notices` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `user_id` varchar(64) NOT NULL,
  `category` varchar(64) NOT NULL,
  `message` text NOT NULL,
  `target_type` varchar(64) DEFAULT NULL,
  `target_id` varchar(128) DEFAULT NULL,
  `actor_id` varchar(64) DEFAULT NULL,
  `slug` varchar(64) DEFAULT NULL,
  `plugin` varchar(64) NOT NULL COMMENT 'the plugin that sent it',
  `dedupe_key` char(64) DEFAULT NULL COMMENT 'sha256 of user, category, slug, actor and target when a slug is given: one notice per actor, updated',
  `has_read` tinyint(1) NOT NULL DEFAULT 0,
  `created_at` timestamp(3) NOT NULL DEFAULT current_timestamp(3),
  `updated_at` timestamp(3) NOT NULL DEFAULT current_timestamp(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `dedupe` (`dedupe_key`),
  KEY `inbox` (`user_id`,`has_read`,`updated_at`),
  KEY `target` (`target_type`,`target_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW `parts` AS select `p`.`part_id` AS `part_id`,
  `p`.`part_name` AS `part_name`,
  `p`.`short_desc` AS `short_desc`,
  `p`.`description` AS `description`,
  `p`.`part_type` AS `part_type`,
  `p`.`author` AS `author`,
  `p`.`status` AS `status`,
  `p`.`part_status` AS `part_status`,
  `p`.`sample_status` AS `sample_status`,
  `p`.`works` AS `works`,
  `p`.`dominant` AS `dominant`,
  `p`.`informational` AS `informational`,
  `p`.`discontinued` AS `discontinued`,
  `p`.`creation_date` AS `creation_date`,
  `p`.`m_datetime` AS `m_datetime`,
  `p`.`uses` AS `uses`,
  `p`.`favorite` AS `favorite`,
  `p`.`has_barcode` AS `has_barcode`,
  `p`.`rating` AS `rating`,
  `p`.`review_count` AS `review_count`,
  `p`.`review_total` AS `review_total`,
  `p`.`categories` AS `categories`,
  `p`.`nickname` AS `nickname`,
  `s`.`notes` AS `notes`,
  `s`.`source` AS `source`,
  `s`.`sequence` AS `sequence`,
  `p`.`sequence_length` AS `sequence_length`,
  `p`.`seq_sha1` AS `seq_sha1`,
  `s`.`compatibility` AS `compatibility`,
  `p`.`compatible_standards` AS `compatible_standards`,
  `s`.`specified_u_list` AS `specified_u_list`,
  `s`.`deep_u_list` AS `deep_u_list`,
  `w`.`weight` AS `weight`,
  `e`.`extras` AS `extras`,
  `e`.`fetched_at` AS `extras_fetched_at`,
  coalesce(`f`.`rates`,0) AS `rates`,
  coalesce(`f`.`rate_sum`,0) AS `rate_sum`,
  coalesce(`f`.`stars`,0) AS `stars`,
  coalesce(`f`.`watches`,0) AS `watches`,
  coalesce(`f`.`experiences`,0) AS `experiences`
from ((((`<app>`.`part_weights` `w`
join `<snapshot>`.`parts_filtered` `p` on(`p`.`part_id` = `w`.`part_id`))
left join `<snapshot>`.`parts_sequences` `s` on(`s`.`part_id` = `p`.`part_id`))
left join `<app>`.`part_extras` `e` on(`e`.`part_name` = `p`.`part_name`))
left join `<app>`.`part_forum_stats` `f` on(`f`.`part_name` = `p`.`part_name`));

CREATE TABLE `part_extras` (
  `part_name` varchar(255) NOT NULL,
  `extras` longtext DEFAULT NULL COMMENT 'JSON from the Registry part API: parameters, twins, categories…',
  `fetched_at` timestamp(3) NULL DEFAULT NULL,
  `failures` int(11) NOT NULL DEFAULT 0,
  `last_error` text DEFAULT NULL,
  `retry_after` timestamp(3) NULL DEFAULT NULL,
  PRIMARY KEY (`part_name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `part_forum_stats` (
  `part_name` varchar(255) NOT NULL,
  `rates` int(11) NOT NULL DEFAULT 0,
  `rate_sum` int(11) NOT NULL DEFAULT 0,
  `stars` int(11) NOT NULL DEFAULT 0,
  `watches` int(11) NOT NULL DEFAULT 0,
  `experiences` int(11) NOT NULL DEFAULT 0,
  `good_experiences` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`part_name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='maintained by the forum; read by ranking';

CREATE TABLE `part_weights` (
  `part_id` int(11) NOT NULL,
  `weight` double NOT NULL DEFAULT 0,
  PRIMARY KEY (`part_id`),
  KEY `weight` (`weight`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `platform_events` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `kind` varchar(32) NOT NULL COMMENT 'reload, plugin-failure, import, ranking',
  `outcome` varchar(16) NOT NULL COMMENT 'started, succeeded, warning, failed',
  `subject` varchar(200) DEFAULT NULL COMMENT 'what it is about: a plugin name, a task id, a generation',
  `message` varchar(1000) NOT NULL,
  `detail` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`detail`)),
  `actor` varchar(128) DEFAULT NULL COMMENT 'who asked, when known',
  `created_at` timestamp(3) NOT NULL DEFAULT current_timestamp(3),
  PRIMARY KEY (`id`),
  KEY `by_kind` (`kind`,`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `plugins` (
  `name` varchar(64) NOT NULL,
  `version` varchar(64) DEFAULT NULL,
  `enabled` tinyint(1) NOT NULL DEFAULT 1,
  `status` enum('active','disabled','failed') NOT NULL DEFAULT 'disabled',
  `last_error` text DEFAULT NULL,
  `checksum` char(64) DEFAULT NULL,
  `updated_at` timestamp(3) NOT NULL DEFAULT current_timestamp(3) ON UPDATE current_timestamp(3),
  PRIMARY KEY (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `plugin_grants` (
  `plugin` varchar(64) NOT NULL,
  `capability` varchar(200) NOT NULL,
  `granted_at` timestamp(3) NOT NULL DEFAULT current_timestamp(3),
  PRIMARY KEY (`plugin`,`capability`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `plugin_migrations` (
  `plugin` varchar(64) NOT NULL,
  `name` varchar(255) NOT NULL,
  `run_at` timestamp(3) NOT NULL DEFAULT current_timestamp(3),
  PRIMARY KEY (`plugin`,`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `plugin_submissions` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `user_id` varchar(64) NOT NULL,
  `username` varchar(64) DEFAULT NULL,
  `url` varchar(500) NOT NULL,
  `ref` varchar(200) NOT NULL,
  `commit_sha` char(40) NOT NULL,
  `name` varchar(64) DEFAULT NULL COMMENT 'from plugin.json; NULL when it has none readable',
  `version` varchar(64) DEFAULT NULL,
  `title` varchar(200) DEFAULT NULL,
  `manifest` text DEFAULT NULL COMMENT 'plugin.json as submitted (JSON)',
  `requested` text NOT NULL COMMENT 'requested capabilities (JSON array)',
  `state` varchar(16) NOT NULL COMMENT 'invalid, pending, approved, rejected or superseded',
  `problem` text DEFAULT NULL COMMENT 'why it is invalid',
  `file_count` int(11) NOT NULL,
  `total_bytes` int(11) NOT NULL,
  `granted` text DEFAULT NULL COMMENT 'capabilities the admin ticked (JSON array)',
  `reason` text DEFAULT NULL COMMENT 'why it was rejected',
  `reviewer` varchar(64) DEFAULT NULL,
  `approved_name` varchar(64) DEFAULT NULL,
  `created_at` timestamp(3) NOT NULL DEFAULT current_timestamp(3),
  `reviewed_at` timestamp(3) NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `one_approved` (`approved_name`),
  KEY `by_user` (`user_id`,`id`),
  KEY `by_state` (`state`,`id`),
  KEY `by_name` (`name`,`state`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `plugin_submission_files` (
  `submission_id` bigint(20) NOT NULL,
  `path` varchar(400) NOT NULL,
  `size` int(11) NOT NULL,
  `content` longblob NOT NULL,
  PRIMARY KEY (`submission_id`,`path`),
  CONSTRAINT `submission_files_of` FOREIGN KEY (`submission_id`) REFERENCES `plugin_submissions` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `ranking_forum` (
  `part_id` int(11) NOT NULL,
  `rates` int(11) NOT NULL,
  `rate_sum` int(11) NOT NULL,
  `stars` int(11) NOT NULL,
  `watches` int(11) NOT NULL,
  `experiences` int(11) NOT NULL,
  `good_experiences` int(11) NOT NULL,
  PRIMARY KEY (`part_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `ranking_state` (
  `id` int(1) NOT NULL,
  `strategy` varchar(40) DEFAULT NULL,
  `max_uses` int(11) DEFAULT NULL,
  `max_review_total` int(11) DEFAULT NULL,
  `max_review_count` int(11) DEFAULT NULL,
  `min_uses` int(11) DEFAULT NULL,
  `min_review_total` int(11) DEFAULT NULL,
  `min_review_count` int(11) DEFAULT NULL,
  `max_rates` int(11) NOT NULL DEFAULT 0,
  `max_stars` int(11) NOT NULL DEFAULT 0,
  `max_watches` int(11) NOT NULL DEFAULT 0,
  `mean_rate` double NOT NULL DEFAULT 0,
  `parts` int(1) unsigned NOT NULL,
  `ranked_at` datetime(3) NOT NULL,
  `weights_checksum` int(1) unsigned DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `snapshot_changes` (
  `import_id` int(11) NOT NULL,
  `part_name` varchar(255) NOT NULL,
  `change` enum('added','removed','changed') NOT NULL,
  PRIMARY KEY (`import_id`,`part_name`),
  KEY `part_name` (`part_name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `snapshot_imports` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `source` varchar(1000) NOT NULL,
  `state` enum('running','succeeded','failed','interrupted') NOT NULL,
  `parts_read` int(11) NOT NULL DEFAULT 0,
  `features_read` int(11) NOT NULL DEFAULT 0,
  `malformed` int(11) NOT NULL DEFAULT 0,
  `malformed_samples` text DEFAULT NULL COMMENT 'JSON: the first malformed rows, with positions',
  `parts_live` int(11) DEFAULT NULL,
  `added` int(11) DEFAULT NULL,
  `removed` int(11) DEFAULT NULL,
  `changed` int(11) DEFAULT NULL,
  `error` text DEFAULT NULL,
  `started_at` timestamp(3) NOT NULL DEFAULT current_timestamp(3),
  `finished_at` timestamp(3) NULL DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `tasks` (
  `id` char(36) NOT NULL,
  `kind` varchar(100) NOT NULL,
  `owner` varchar(64) DEFAULT NULL,
  `queue` varchar(64) NOT NULL,
  `state` enum('queued','running','succeeded','failed','timed_out','cancelled') NOT NULL,
  `progress` double NOT NULL DEFAULT 0,
  `progress_message` varchar(500) DEFAULT NULL,
  `params` longtext NOT NULL COMMENT 'JSON text',
  `result` longtext DEFAULT NULL COMMENT 'JSON text',
  `error` text DEFAULT NULL,
  `attempts` int(11) NOT NULL DEFAULT 0,
  `created_at` timestamp(3) NOT NULL DEFAULT current_timestamp(3),
  `started_at` timestamp(3) NULL DEFAULT NULL,
  `finished_at` timestamp(3) NULL DEFAULT NULL,
  `expires_at` timestamp(3) NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `tasks_owner` (`owner`,`created_at`),
  KEY `tasks_state_kind` (`state`,`kind`),
  KEY `tasks_expires` (`expires_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- <snapshot>
CREATE DATABASE `<snapshot>` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci */;

CREATE TABLE `features` (
  `feature_id` int(11) NOT NULL,
  `part_id` int(11) NOT NULL,
  `feature_type` varchar(60) NOT NULL DEFAULT '',
  `start_pos` int(11) NOT NULL DEFAULT 0,
  `end_pos` int(11) NOT NULL DEFAULT 0,
  `label` varchar(255) NOT NULL DEFAULT '',
  `reverse` tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (`feature_id`),
  KEY `part_id` (`part_id`,`start_pos`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `parts_filtered` (
  `part_id` int(11) NOT NULL,
  `part_name` varchar(255) NOT NULL,
  `short_desc` varchar(255) NOT NULL DEFAULT '',
  `description` longtext DEFAULT NULL,
  `part_type` varchar(40) NOT NULL DEFAULT '',
  `author` varchar(255) NOT NULL DEFAULT '',
  `owning_group_id` int(11) DEFAULT NULL,
  `status` varchar(40) NOT NULL DEFAULT '',
  `dominant` tinyint(1) NOT NULL DEFAULT 0,
  `informational` tinyint(1) NOT NULL DEFAULT 0,
  `discontinued` int(11) NOT NULL DEFAULT 0,
  `part_status` varchar(40) NOT NULL DEFAULT '',
  `sample_status` varchar(40) NOT NULL DEFAULT '',
  `creation_date` date DEFAULT NULL,
  `m_datetime` datetime DEFAULT NULL,
  `uses` int(11) NOT NULL DEFAULT -1,
  `doc_size` int(11) NOT NULL DEFAULT 0,
  `works` varchar(20) NOT NULL DEFAULT '',
  `favorite` int(11) NOT NULL DEFAULT 0,
  `has_barcode` tinyint(1) NOT NULL DEFAULT 0,
  `nickname` varchar(40) NOT NULL DEFAULT '',
  `categories` varchar(1000) NOT NULL DEFAULT '',
  `sequence_length` int(11) NOT NULL DEFAULT 0,
  `seq_sha1` char(40) NOT NULL,
  `review_count` int(11) NOT NULL DEFAULT 0,
  `review_total` int(11) NOT NULL DEFAULT 0,
  `rating` int(11) NOT NULL DEFAULT 0,
  `compatible_standards` tinyint(4) NOT NULL DEFAULT 0 COMMENT 'how many of the six standards have no offending site (a ranking component)',
  `row_checksum` char(40) NOT NULL COMMENT 'SHA-1 of all of the part''s columns, wide ones included (for diffs)',
  PRIMARY KEY (`part_id`),
  UNIQUE KEY `part_name` (`part_name`),
  KEY `seq_sha1` (`seq_sha1`),
  KEY `part_type` (`part_type`),
  KEY `status` (`status`),
  KEY `creation_date` (`creation_date`),
  KEY `uses` (`uses`),
  KEY `ranking_inputs` (`part_id`,`status`,`sample_status`,`works`,`uses`,`favorite`,`has_barcode`,`compatible_standards`,`review_total`,`review_count`),
  FULLTEXT KEY `text_search` (`part_name`,`short_desc`,`description`,`author`,`nickname`,`categories`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `parts_sequences` (
  `part_id` int(11) NOT NULL,
  `specified_u_list` longtext DEFAULT NULL,
  `deep_u_list` longtext DEFAULT NULL,
  `notes` longtext DEFAULT NULL,
  `source` text DEFAULT NULL,
  `sequence` longtext NOT NULL,
  `compatibility` text NOT NULL COMMENT 'JSON: standard -> offending sites',
  PRIMARY KEY (`part_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `subparts` (
  `parent_id` int(11) NOT NULL,
  `kind` enum('specified','deep') NOT NULL,
  `ordinal` int(11) NOT NULL,
  `child_id` int(11) NOT NULL,
  `start_pos` int(11) DEFAULT NULL,
  `end_pos` int(11) DEFAULT NULL,
  PRIMARY KEY (`parent_id`,`kind`,`ordinal`),
  KEY `child` (`child_id`,`kind`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
