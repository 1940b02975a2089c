/**
 * Worker health: `GET sync-hub/v1/worker/health` (the worker's `GET /health`, proxied).
 */

/**
 * Internal dependencies
 */
import { request, restPath } from './api';
import { invalidResponse } from './errors';
import {
	isRecord,
	readBoolean,
	readNullableBoolean,
	readNumber,
} from './parse';
import { useResource, type Resource } from './use-resource';

export const HEALTH_REFRESH_MS = 10_000;

export interface QueueCounts {
	waiting: number;
	active: number;
	failed: number;
	delayed: number;
}

export interface WorkerHealth {
	status: 'healthy' | 'degraded';
	database: boolean;
	redis: boolean;
	/** null when the connector is not configured. */
	store_connection: boolean | null;
	odoo_connection: boolean | null;
	siigo_connection: boolean | null;
	queues: Record< string, QueueCounts >;
}

export function isHealthBody( body: unknown ): boolean {
	return (
		isRecord( body ) &&
		( body.status === 'healthy' || body.status === 'degraded' ) &&
		isRecord( body.queues )
	);
}

/**
 * @param body Response body.
 * @return The health, checked.
 */
export function parseHealth( body: unknown ): WorkerHealth {
	if (
		! isRecord( body ) ||
		! isHealthBody( body ) ||
		! isRecord( body.queues )
	) {
		throw invalidResponse();
	}
	const queues: Record< string, QueueCounts > = {};
	for ( const [ name, counts ] of Object.entries( body.queues ) ) {
		const source = isRecord( counts ) ? counts : {};
		queues[ name ] = {
			waiting: readNumber( source.waiting ),
			active: readNumber( source.active ),
			failed: readNumber( source.failed ),
			delayed: readNumber( source.delayed ),
		};
	}
	return {
		status: body.status === 'healthy' ? 'healthy' : 'degraded',
		database: readBoolean( body.database ),
		redis: readBoolean( body.redis ),
		store_connection: readNullableBoolean( body.store_connection ),
		odoo_connection: readNullableBoolean( body.odoo_connection ),
		siigo_connection: readNullableBoolean( body.siigo_connection ),
		queues,
	};
}

export async function fetchHealth(
	signal?: AbortSignal
): Promise< WorkerHealth > {
	// A degraded worker answers 503 with a complete health body: that is data, not an error.
	const body = await request( restPath( 'worker/health' ), {
		...( signal === undefined ? {} : { signal } ),
		acceptErrorBody: isHealthBody,
	} );
	return parseHealth( body );
}

/**
 * The worker's health, reloaded every 10 seconds.
 *
 * @return The resource.
 */
export function useWorkerHealth(): Resource< WorkerHealth > {
	return useResource( 'worker/health', fetchHealth, {
		refreshInterval: HEALTH_REFRESH_MS,
	} );
}
