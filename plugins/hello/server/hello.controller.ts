import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { HelloService } from './hello.service';

/** Mounted under /api/plugins/hello/. */
@Controller()
export class HelloController {
  constructor(private readonly hello: HelloService) {}

  @Get()
  greet(@Query('name') name?: string) {
    return this.hello.hello(name);
  }

  @Get('greetings')
  list() {
    return this.hello.latest();
  }

  @Post('greetings')
  add(@Body() body: { text?: unknown } | undefined) {
    return this.hello.add(body?.text);
  }
}
