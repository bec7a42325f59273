/** An activity (GET /api/activities, the forum's timeline) as a sentence's verb. */
export interface Activity {
  id: number;
  type: string;
  user: { id: string; username: string | null };
  part_name: string | null;
  created_at: string;
}

const VERBS: Record<string, string> = {
  experience: 'shared an experience with',
  comment: 'commented on an experience with',
  vote: 'found useful an experience with',
  rating: 'rated',
  watch: 'started watching',
  star: 'starred',
};

export function activityVerb(type: string): string {
  return VERBS[type] ?? `${type.replace(/[_-]+/g, ' ')} on`;
}
