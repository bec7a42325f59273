import { InjectRepository } from '@brickyard/sdk';
import { BadRequestException, Injectable } from '@nestjs/common';
import type { Repository } from 'typeorm';
import { Greeting } from './greeting.entity';

@Injectable()
export class HelloService {
  constructor(@InjectRepository(Greeting) private readonly greetings: Repository<Greeting>) {}

  hello(name = 'world') {
    return { message: `Hello, ${name}!` };
  }

  latest(limit = 20): Promise<Greeting[]> {
    return this.greetings.find({ order: { id: 'DESC' }, take: limit });
  }

  async add(text: unknown): Promise<Greeting> {
    if (typeof text !== 'string' || !text.trim() || text.length > 200) {
      throw new BadRequestException('send {"text": "…"} with 1 to 200 characters');
    }
    return this.greetings.save(this.greetings.create({ text: text.trim() }));
  }
}
