export { rankParts, rankingLockName, weightsQuery, qualified, type RankResult } from './rank-parts';
export { reweightPart, type StatementRunner } from './reweight-part';
export { maximaQuery, FORUM_MAXIMA, partComponentsQuery, readWeightComponents, createStateTable, createForumTable, RANKING_STATE, RANKING_FORUM } from './ranking-state';
export { STRATEGIES, RANKING_INPUTS, classic, bayesian, RATING_PRIOR_VOTES, FORUM_COUNTERS, type RankingStrategy, type Signal } from './ranking-strategies';
export { STATUS_VALUES, SAMPLE_STATUS_VALUES, WORKS_VALUES, CLASSIC_SCORES } from './value-tables';
export { importAndRank, rankLive, unrankedParts, type SnapshotServices } from './snapshot-tasks';
