/**
 * Notices of the page, in the `@wordpress/notices` store under the page's own context.
 */

/**
 * WordPress dependencies
 */
import { useDispatch } from '@wordpress/data';
import { useMemo } from '@wordpress/element';
import { store as noticesStore } from '@wordpress/notices';

export const NOTICE_CONTEXT = 'sync-hub';

export interface Notify {
	/** A snackbar that goes away by itself. */
	success: ( message: string, id?: string ) => void;
	/** A notice that stays until dismissed. */
	error: ( message: string, id?: string ) => void;
}

export function useNotify(): Notify {
	const { createSuccessNotice, createErrorNotice } =
		useDispatch( noticesStore );
	return useMemo(
		() => ( {
			success: ( message, id ) =>
				void createSuccessNotice( message, {
					type: 'snackbar',
					context: NOTICE_CONTEXT,
					...( id === undefined ? {} : { id } ),
				} ),
			error: ( message, id ) =>
				void createErrorNotice( message, {
					context: NOTICE_CONTEXT,
					isDismissible: true,
					...( id === undefined ? {} : { id } ),
				} ),
		} ),
		[ createSuccessNotice, createErrorNotice ]
	);
}
