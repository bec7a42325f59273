import { maskSecrets, type TaskView } from '@brickyard/sdk';

/**
 * A task as it is shown, to its owner or an admin, in answers and frames: URLs
 * in its params, result and error lose their credentials and query values. The row
 * keeps them (an attempt run again needs the real source); they are never
 * shown back.
 */
export function publicTask<T extends Partial<TaskView>>(task: T): T {
  const shown = { ...task };
  if (task.params !== undefined) shown.params = maskSecrets(task.params);
  if (task.result !== undefined) shown.result = maskSecrets(task.result);
  if (typeof task.error === 'string') shown.error = maskSecrets(task.error) as string;
  if (typeof task.progressMessage === 'string') shown.progressMessage = maskSecrets(task.progressMessage) as string;
  return shown;
}
