import { bookingsDomain } from './bookings';
import type { DomainModule } from './core/domain';
import { productsDomain } from './products';

/** Every domain of the worker, listed once. Each brings its migrations, routes, jobs and schedules. */
export const DOMAINS: DomainModule[] = [bookingsDomain, productsDomain];
