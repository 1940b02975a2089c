/**
 * Numbers and dates in the user's locale (Persian digits for fa_IR, and so on).
 */

/**
 * Internal dependencies
 */
import { getLanguageTag } from '../bootstrap';

function safeLocale(): string | undefined {
	try {
		return Intl.getCanonicalLocales( getLanguageTag() )[ 0 ];
	} catch {
		return undefined;
	}
}

export function formatNumber( value: number ): string {
	return new Intl.NumberFormat( safeLocale() ).format( value );
}

/**
 * A point in time: milliseconds since the epoch, or a MySQL `Y-m-d H:i:s` in UTC as the
 * plugin stores it.
 *
 * @param value The time; null or unparseable gives an em dash.
 * @return The formatted date and time.
 */
export function formatDateTime( value: number | string | null ): string {
	if ( value === null ) {
		return '—';
	}
	let date: Date;
	if ( typeof value === 'number' ) {
		date = new Date( value );
	} else if ( /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test( value ) ) {
		date = new Date( `${ value.replace( ' ', 'T' ) }Z` );
	} else {
		date = new Date( value );
	}
	if ( Number.isNaN( date.getTime() ) ) {
		return '—';
	}
	return new Intl.DateTimeFormat( safeLocale(), {
		dateStyle: 'medium',
		timeStyle: 'medium',
	} ).format( date );
}
