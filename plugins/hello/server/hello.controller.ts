import { ZodPipe } from '@brickyard/sdk';
import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { HelloService } from './hello.service';

/** What GET / takes: one optional name. */
const greeting = z.object({ name: z.string().min(1).max(100).optional() }).strict();

/** What POST /greetings takes: validated by the pipe, so the service gets clean input. */
const newGreeting = z.object({ text: z.string().trim().min(1, 'send 1 to 200 characters').max(200, 'send 1 to 200 characters') }).strict();

/** Mounted under /api/plugins/hello/. */
@Controller()
export class HelloController {
  constructor(private readonly hello: HelloService) {}

  @Get()
  greet(@Query(new ZodPipe(greeting, 'query', 'send ?name=<1 to 100 characters>')) query: z.infer<typeof greeting>) {
    return this.hello.hello(query.name);
  }

  @Get('greetings')
  list() {
    return this.hello.latest();
  }

  @Post('greetings')
  add(@Body(new ZodPipe(newGreeting, 'greeting', 'send {"text": "…"} with 1 to 200 characters')) body: z.infer<typeof newGreeting>) {
    return this.hello.add(body.text);
  }
}
