import { BrowserSession } from '@brickyard/testing';

/** A browser of one user for the accounts tests (BrowserSession: cookies, CSRF, every JSON answer kept). */
export class Browser extends BrowserSession {}

/** A form with one file in the field `file`. */
export function fileForm(bytes: Buffer, filename: string, type: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename);
  return form;
}
