/**
 * A module's use cases are functions `verbNoun(deps, ctx, …args)` in `modules/<f>/use-cases/`;
 * its service binds them to the module's dependencies once, so callers keep `service.verbNoun(ctx, …)`.
 */
export function bindUseCase<D, A extends unknown[], R>(deps: D, useCase: (deps: D, ...args: A) => R): (...args: A) => R {
  return (...args) => useCase(deps, ...args);
}
