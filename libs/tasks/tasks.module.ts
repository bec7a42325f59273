import { type DynamicModule, Module } from '@nestjs/common';
import { AdminTasksController, TasksController } from './tasks.controller';
import { TaskService } from './task.service';

/** The task routes, mounted in every generation with the process's TaskService. */
@Module({})
export class TasksModule {
  static with(service: TaskService): DynamicModule {
    return { module: TasksModule, controllers: [TasksController, AdminTasksController], providers: [{ provide: TaskService, useValue: service }] };
  }
}
