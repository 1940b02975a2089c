/**
 * The store's products by name or SKU (`GET sync-hub/v1/store-products`), for product pickers.
 */

/**
 * WordPress dependencies
 */
import { useCallback } from '@wordpress/element';

/**
 * Internal dependencies
 */
import { request, restPath } from './api';
import { isRecord, readNumber, readString } from './parse';
import { useResource, type Resource } from './use-resource';

export interface StoreProduct {
	id: number;
	name: string;
	sku: string;
	type: string;
}

export function parseStoreProducts( body: unknown ): StoreProduct[] {
	if ( ! Array.isArray( body ) ) {
		return [];
	}
	return body
		.filter( isRecord )
		.map( ( row ) => ( {
			id: readNumber( row.id ),
			name: readString( row.name ),
			sku: readString( row.sku ),
			type: readString( row.type ),
		} ) )
		.filter( ( product ) => product.id > 0 );
}

/**
 * Products matching `search` (the latest ones when empty); with `id`, that product alone.
 *
 * @param search Words of the name, or the SKU.
 * @param id     A product id to load instead (the saved choice), or 0.
 * @return The resource.
 */
export function useStoreProducts(
	search: string,
	id = 0
): Resource< StoreProduct[] > {
	const path =
		id > 0
			? restPath( 'store-products', { id } )
			: restPath( 'store-products', { search: search.trim() } );
	const load = useCallback(
		async ( signal: AbortSignal ) =>
			parseStoreProducts( await request( path, { signal } ) ),
		[ path ]
	);
	return useResource( path, load );
}
