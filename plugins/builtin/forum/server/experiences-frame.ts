/** The topic an open part page follows for its experiences, and the frame telling it they changed. */
export const partTopic = (name: string) => `forum:part:${name}`;
export const EXPERIENCES_FRAME = 'forum.experiences';

/** What changed among a part's experiences: a page that follows the part reloads its list. */
export interface ExperiencesChange {
  added: number;
  updated: number;
  removed: number;
}
