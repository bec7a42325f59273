import { Inject } from '@nestjs/common';

const tokens = new WeakMap<Function, symbol>();

/** The injection token of the TypeORM repository of `entity` in the current generation. */
export function getRepositoryToken(entity: Function): symbol {
  let token = tokens.get(entity);
  if (!token) {
    token = Symbol(`Repository<${entity.name}>`);
    tokens.set(entity, token);
  }
  return token;
}

/** Injects `Repository<Entity>` for an entity declared in the plugin's `entities`. */
export const InjectRepository = (entity: Function) => Inject(getRepositoryToken(entity));
