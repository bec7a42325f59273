/**
 * A plain NestJS + Fastify app with no Brickyard in it: one controller answering
 * `GET <route>` with `<answer>`, as the benchmark plugin does. It listens itself
 * (no generations, no host server, no request-id hook). route-throughput.ts
 * `--with-nest` measures it as the ceiling any Nest-on-Fastify platform has.
 *
 *   node bin/run-ts.js bench/lib/nest-reference-server.ts <route> <answer JSON>
 */
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';

const [route, answerJson] = process.argv.slice(2);
const answer = JSON.parse(answerJson!);

@Controller(route!.replace(/^\//, ''))
class AnswerController {
  @Get()
  get() {
    return answer;
  }
}

@Module({ controllers: [AnswerController] })
class ReferenceModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(ReferenceModule, new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer();
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  console.log(`PORT ${(server.address() as AddressInfo).port}`);
  process.on('SIGTERM', () => process.exit(0));
}
void main();
