/**
 * Renders the page's notices: errors stay on top, successes come as snackbars.
 */

/**
 * WordPress dependencies
 */
import { NoticeList, SnackbarList } from '@wordpress/components';
import { useDispatch, useSelect } from '@wordpress/data';
import { store as noticesStore } from '@wordpress/notices';

/**
 * Internal dependencies
 */
import { NOTICE_CONTEXT } from '../data/notices';

export function PageNotices() {
	const notices = useSelect(
		( select ) => select( noticesStore ).getNotices( NOTICE_CONTEXT ),
		[]
	);
	const { removeNotice } = useDispatch( noticesStore );
	const remove = ( id: string ) => void removeNotice( id, NOTICE_CONTEXT );
	return (
		<>
			<NoticeList
				className="synchub-notices"
				notices={ notices.filter(
					( notice ) => notice.type !== 'snackbar'
				) }
				onRemove={ remove }
			/>
			<SnackbarList
				className="synchub-snackbars"
				notices={ notices.filter(
					( notice ) => notice.type === 'snackbar'
				) }
				onRemove={ remove }
			/>
		</>
	);
}
