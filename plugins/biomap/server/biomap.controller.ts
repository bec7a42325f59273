import { BrickyardError, ZodPipe } from '@brickyard/sdk';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { z } from 'zod';
import { BiomapService } from './biomap.service';

/** A Registry name as it appears in the snapshot (BBa_B0015, pSB1C3). */
const PART_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

function partName(name: string): string {
  if (!PART_NAME.test(name)) throw new BrickyardError('invalid_params', `"${name.slice(0, 40)}" is not a part name: use letters, digits, "_", "." and "-", as in BBa_B0015`);
  return name;
}

const depth = (max: number) =>
  z.object({ depth: z.coerce.number({ message: `a whole number from 1 to ${max}` }).int(`a whole number from 1 to ${max}`).min(1, `at least 1`).max(max, `at most ${max}`).default(max) }).strict();
const subpartsQuery = depth(100);
const usedInQuery = depth(2);

/** Biohub's BioMap API, mounted under /api/plugins/biomap/. Anyone may read it, as anyone may read the parts. */
@Controller()
export class BiomapController {
  constructor(private readonly biomap: BiomapService) {}

  /** The parts a part is built from, down to `depth` (1–100, default 100) levels. */
  @Get(':part/analyze')
  analyze(@Param('part') part: string, @Query(new ZodPipe(subpartsQuery, 'query', 'send ?depth=1 to 100, or nothing')) query: z.infer<typeof subpartsQuery>) {
    return this.biomap.subparts(partName(part), query.depth);
  }

  /** The parts that use a part, up to `depth` (1–2, default 2) levels. */
  @Get(':part/analyze_reverse')
  analyzeReverse(@Param('part') part: string, @Query(new ZodPipe(usedInQuery, 'query', 'send ?depth=1 or 2, or nothing')) query: z.infer<typeof usedInQuery>) {
    return this.biomap.usedIn(partName(part), query.depth);
  }
}
