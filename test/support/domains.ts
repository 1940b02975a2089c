import type { AppContext, Domain } from '../../worker/src/core/domain';

/**
 * A domain factory for startTestRuntime that keeps what it built, so a test can reach the
 * domain's own services (e.g. the bookings service) of the runtime it started.
 */
export function keepBuilt<D extends Domain>(create: (ctx: AppContext) => D): { create: (ctx: AppContext) => D; built(): D } {
  let domain: D | undefined;
  return {
    create(ctx) {
      domain = create(ctx);
      return domain;
    },
    built() {
      if (!domain) throw new Error('the domain has not been built: start a runtime with it first');
      return domain;
    },
  };
}
