import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * A repository runs every query on one entity manager: the data source's (each statement on its own) when
 * injected, or an open transaction's when the service asks for it with `in(manager)`. A service opens the
 * transaction (`transaction`) and hands its manager to each repository and to the outbox, so a change, its locks
 * and its events commit or roll back together — and the service itself never touches TypeORM.
 */
@Injectable()
export abstract class BoundRepository {
  constructor(protected readonly manager: EntityManager) {}

  /** This repository inside the caller's transaction. */
  in(manager: EntityManager): this {
    const Repository = this.constructor as new (manager: EntityManager) => this;
    return new Repository(manager);
  }

  /** Runs `work` in a new transaction; what it writes through `in(manager)` commits only if it resolves. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.manager.transaction(work);
  }
}
