import { bookingsDomain } from './bookings';
import type { DomainModule } from './core/domain';
import { eventsModule } from './events';
import { productsDomain } from './products';
import { stockModule } from './stock';

/** Every domain of the worker, listed once. Each brings its migrations, routes, jobs and schedules. */
export const DOMAINS: DomainModule[] = [eventsModule, bookingsDomain, productsDomain, stockModule];
