import { MAX_PDB_BYTES } from './pdb-text';

/**
 * The text of a structure file at `url`, or an Error whose message a person
 * can act on. The viewer fetches the file itself (NGL could) so a missing
 * file, a refused address and a file too large are each said in words.
 *
 * The page's content security policy lets it fetch from this site and from
 * the public structure archives (RCSB PDB, PDBe, AlphaFold DB): an address
 * elsewhere fails here, as a network error, and is explained as such.
 */
export async function fetchStructureText(url: string, signal?: AbortSignal): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal, credentials: 'same-origin' });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new Error(
      `${url} could not be fetched. This page loads structures from this site and from RCSB PDB, PDBe and AlphaFold DB; ` +
        'for a file elsewhere, download it and open it from your computer.',
    );
  }
  if (!response.ok) throw new Error(`${url} could not be loaded: the server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`);
  const length = Number(response.headers.get('content-length'));
  if (length > MAX_PDB_BYTES) throw new Error(`${url} is ${(length / 1024 / 1024).toFixed(0)} MB; the viewer reads files up to ${MAX_PDB_BYTES / 1024 / 1024} MB.`);
  return response.text();
}
