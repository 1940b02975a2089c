/**
 * A searchable product picker (name or SKU), like WooCommerce's own: type, pick from the list.
 * Reusable: any screen that needs one WooCommerce product id.
 */

/**
 * WordPress dependencies
 */
import { ComboboxControl } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useStoreProducts, type StoreProduct } from '../data/store-products';

export interface ProductPickerProps {
	label: string;
	/** The chosen product id, 0 for none. */
	value: number;
	onChange: ( id: number ) => void;
	help?: React.ReactNode;
}

/**
 * "Name (SKU) — #id", the way WooCommerce lists products in its own pickers.
 * @param product
 */
export function productLabel( product: StoreProduct ): string {
	if ( product.sku !== '' ) {
		return sprintf(
			/* translators: 1: product name, 2: SKU, 3: product id. */
			__( '%1$s (%2$s) — #%3$d', 'sync-hub' ),
			product.name,
			product.sku,
			product.id
		);
	}
	return sprintf(
		/* translators: 1: product name, 2: product id. */
		__( '%1$s — #%2$d', 'sync-hub' ),
		product.name,
		product.id
	);
}

export function ProductPicker( {
	label,
	value,
	onChange,
	help,
}: ProductPickerProps ) {
	const [ typed, setTyped ] = useState( '' );
	const [ search, setSearch ] = useState( '' );
	// Ask after a short pause in typing, not at every key.
	useEffect( () => {
		const timer = setTimeout( () => setSearch( typed ), 250 );
		return () => clearTimeout( timer );
	}, [ typed ] );
	const found = useStoreProducts( search );
	const chosen = useStoreProducts( '', value );
	const options = new Map< number, StoreProduct >();
	for ( const product of [
		...( chosen.data ?? [] ),
		...( found.data ?? [] ),
	] ) {
		options.set( product.id, product );
	}
	return (
		<ComboboxControl
			className="synchub-product-picker"
			label={ label }
			value={ value > 0 ? String( value ) : null }
			options={ [ ...options.values() ].map( ( product ) => ( {
				value: String( product.id ),
				label: productLabel( product ),
			} ) ) }
			onChange={ ( picked ) => onChange( picked ? Number( picked ) : 0 ) }
			onFilterValueChange={ setTyped }
			help={ found.status === 'error' ? found.error?.message : help }
			__nextHasNoMarginBottom
		/>
	);
}
