import { ZodPipe } from '@brickyard/sdk';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { z } from 'zod';
import { BiocircuitService } from './biocircuit.service';

type Reply = { header(name: string, value: string): Reply; send(body?: unknown): void };

const designQuery = z.object({ mode: z.enum(['cello', 'parity']).optional() }).strict();
const genbankQuery = z.object({ circuit: z.coerce.number().int().min(0).max(100).default(0) }).strict();
const tableQuery = z.object({ expression: z.string().min(1).max(300) }).strict();
const scoreBody = z
  .object({
    nodes: z.array(z.string().max(40)).min(1).max(40),
    arcs: z.array(z.object({ from: z.number().int(), to: z.number().int() }).strict()).max(80).optional(),
  })
  .strict();

/** Mounted under /api/plugins/biocircuit/. Biohub's three routes, plus the GenBank export and expressions. */
@Controller()
export class BiocircuitController {
  constructor(private readonly biocircuit: BiocircuitService) {}

  /** Circuits for a truth table, best first: Cello mode by ON/OFF (descending), parity mode by Biohub's score (ascending). */
  @Get('biocircuit/:truth')
  circuits(@Param('truth') truth: string, @Query(new ZodPipe(designQuery, 'query', 'send ?mode=cello or ?mode=parity')) query: z.infer<typeof designQuery>, @Res({ passthrough: true }) reply: Reply) {
    if (query.mode === 'parity') return this.biocircuit.parity(truth);
    const { circuits, ms } = this.biocircuit.circuits(truth);
    reply.header('server-timing', `design;dur=${ms.toFixed(1)}`);
    return circuits;
  }

  @Get('biocircuit/:truth/genbank')
  genbank(@Param('truth') truth: string, @Query(new ZodPipe(genbankQuery, 'query', 'send ?circuit=<index in the list>')) query: z.infer<typeof genbankQuery>, @Res() reply: Reply) {
    const { name, text } = this.biocircuit.genbank(truth, query.circuit);
    reply.header('content-type', 'text/plain; charset=utf-8').header('content-disposition', `attachment; filename="${name}.gb"`).send(text);
  }

  /** A Boolean expression's truth table: `?expression=a & !b` → {table: "0010", n: 2}. */
  @Get('table')
  table(@Query(new ZodPipe(tableQuery, 'query', 'send ?expression=<1 to 300 characters>')) query: z.infer<typeof tableQuery>) {
    return this.biocircuit.table(query.expression);
  }

  @Get('gates')
  gates() {
    return this.biocircuit.gates();
  }

  /** `{nodes: ['INPUT', 'OR0', 'NOT6']}` → Biohub's score; with `arcs` and Cello gate names → predicted ON/OFF. */
  @Post('score')
  score(@Body(new ZodPipe(scoreBody, 'circuit', 'send {"nodes": [...], "arcs"?: [{"from", "to"}]}')) body: z.infer<typeof scoreBody>) {
    return this.biocircuit.score(body.nodes, body.arcs);
  }
}
