/**
 * Small readers for JSON from the server: responses are checked, never trusted by cast.
 */

export type JsonRecord = Record< string, unknown >;

export function isRecord( value: unknown ): value is JsonRecord {
	return (
		typeof value === 'object' && value !== null && ! Array.isArray( value )
	);
}

export function readString( value: unknown, fallback = '' ): string {
	if ( typeof value === 'string' ) {
		return value;
	}
	if ( typeof value === 'number' ) {
		return String( value );
	}
	return fallback;
}

export function readNullableString( value: unknown ): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * A count or id: numbers, or numeric strings as WordPress' database layer returns them.
 *
 * @param value    The value.
 * @param fallback Used when the value is not numeric.
 * @return The number.
 */
export function readNumber( value: unknown, fallback = 0 ): number {
	if ( typeof value === 'number' && Number.isFinite( value ) ) {
		return value;
	}
	if (
		typeof value === 'string' &&
		value.trim() !== '' &&
		Number.isFinite( Number( value ) )
	) {
		return Number( value );
	}
	return fallback;
}

export function readNullableNumber( value: unknown ): number | null {
	return value === null || value === undefined || value === ''
		? null
		: readNumber( value );
}

export function readBoolean( value: unknown ): boolean {
	return value === true || value === 1 || value === '1' || value === 'true';
}

export function readNullableBoolean( value: unknown ): boolean | null {
	return value === null || value === undefined ? null : readBoolean( value );
}
