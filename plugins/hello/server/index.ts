import { definePlugin } from '@brickyard/sdk';
import { Module } from '@nestjs/common';
import { CreateGreetings1763780100000 } from '../migrations/1763780100000-create-greetings';
import { countTask } from './count.task';
import { Greeting } from './greeting.entity';
import { HelloController } from './hello.controller';
import { helloWsHandlers } from './hello.realtime';
import { HelloService } from './hello.service';
import { helloSettings } from './settings';

@Module({ controllers: [HelloController], providers: [HelloService] })
class HelloModule {}

export default definePlugin({
  module: HelloModule,
  entities: [Greeting],
  migrations: [CreateGreetings1763780100000],
  wsHandlers: helloWsHandlers,
  tasks: { count: countTask },
  settings: helloSettings,
});
