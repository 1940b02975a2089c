import { createBookingsDomain } from './bookings';
import type { CreateDomain } from './core/domain';
import { createEventsDomain } from './events';
import { createProductsDomain } from './products';
import { createStockDomain } from './stock';

/** Every domain of the worker, listed once. Each brings its migrations, routes, jobs and schedules. */
export const DOMAINS: CreateDomain[] = [createEventsDomain, createBookingsDomain, createProductsDomain, createStockDomain];
