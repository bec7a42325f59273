import { InjectPluginContext, InjectRepository, type PluginContext } from '@brickyard/sdk';
import { Injectable } from '@nestjs/common';
import type { Repository } from 'typeorm';
import { Greeting } from './greeting.entity';
import type { helloSettings } from './settings';

@Injectable()
export class HelloService {
  constructor(
    @InjectRepository(Greeting) private readonly greetings: Repository<Greeting>,
    @InjectPluginContext() private readonly plugin: PluginContext<typeof helloSettings>,
  ) {}

  hello(name = 'world') {
    return { message: `${this.plugin.settings.get('HELLO_GREETING')}, ${name}!` };
  }

  latest(limit = 20): Promise<Greeting[]> {
    return this.greetings.find({ order: { id: 'DESC' }, take: limit });
  }

  add(text: string): Promise<Greeting> {
    return this.greetings.save(this.greetings.create({ text }));
  }
}
