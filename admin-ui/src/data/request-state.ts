/**
 * Request state shared by every data hook: explicit, never inferred from `data === undefined`.
 */

/**
 * Internal dependencies
 */
import type { ApiError } from './errors';

export type RequestStatus = 'idle' | 'resolving' | 'finished' | 'error';

export interface ResourceState< T > {
	status: RequestStatus;
	/** Last data received; kept while a refresh resolves or after a failed refresh. */
	data: T | undefined;
	error: ApiError | undefined;
}

/** What a card needs of a resource: its state and a way to load again. */
export interface Loadable< T > extends ResourceState< T > {
	refresh: () => unknown;
}

export interface MutationState< Args, Result > {
	status: RequestStatus;
	/** Arguments of the latest call, e.g. the row being retried. */
	variables: Args | undefined;
	result: Result | undefined;
	error: ApiError | undefined;
}
