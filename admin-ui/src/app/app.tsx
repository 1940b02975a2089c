/**
 * The Sync Hub page: a title, the notices and one tab per screen.
 */

/**
 * WordPress dependencies
 */
import { TabPanel } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { PageNotices } from './page-notices';
import { SCREENS } from './screens';

const TAB_ARG = 'tab';

function initialTab(): string | undefined {
	const wanted = new URLSearchParams( window.location.search ).get( TAB_ARG );
	return SCREENS.some( ( screen ) => screen.name === wanted )
		? ( wanted ?? undefined )
		: undefined;
}

/**
 * Keeps the open tab in the address, so a reload or a shared link opens it again.
 *
 * @param name Tab name.
 */
function rememberTab( name: string ): void {
	const url = new URL( window.location.href );
	if ( url.searchParams.get( TAB_ARG ) === name ) {
		return;
	}
	url.searchParams.set( TAB_ARG, name );
	window.history.replaceState( window.history.state, '', url.toString() );
}

export function App() {
	const tabs = SCREENS.map( ( screen ) => ( {
		name: screen.name,
		title: screen.title(),
		className: `synchub-tab synchub-tab--${ screen.name }`,
	} ) );
	const initialTabName = initialTab();
	return (
		<div className="synchub-page">
			<h1 className="synchub-page__title">
				{ __( 'Sync Hub', 'sync-hub' ) }
			</h1>
			<PageNotices />
			<TabPanel
				className="synchub-tabs"
				tabs={ tabs }
				onSelect={ rememberTab }
				{ ...( initialTabName === undefined
					? {}
					: { initialTabName } ) }
			>
				{ ( tab ) => {
					const screen = SCREENS.find(
						( candidate ) => candidate.name === tab.name
					);
					return screen ? <screen.Component /> : null;
				} }
			</TabPanel>
		</div>
	);
}
