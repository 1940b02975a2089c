/**
 * What the plugin prints for the page as `window.syncHubAdmin` (docs/architecture.md).
 */

export interface Bootstrap {
	/** REST namespace of the plugin, `sync-hub/v1`. */
	namespace: string;
	/** WordPress locale of the current user, e.g. `fa_IR`. */
	locale: string;
	isRtl: boolean;
	version: string;
	pluginUrl: string;
}

declare global {
	interface Window {
		syncHubAdmin?: Partial< Bootstrap >;
	}
}

const DEFAULTS: Bootstrap = {
	namespace: 'sync-hub/v1',
	locale: 'en_US',
	isRtl: false,
	version: '',
	pluginUrl: '',
};

/**
 * The page bootstrap, with defaults for anything missing.
 *
 * @return The bootstrap values.
 */
export function getBootstrap(): Bootstrap {
	const given =
		typeof window === 'undefined' ? undefined : window.syncHubAdmin;
	return { ...DEFAULTS, ...given };
}

/**
 * The user's locale as a BCP 47 tag for `Intl` (`fa_IR` → `fa-IR`).
 *
 * @return The language tag.
 */
export function getLanguageTag(): string {
	return getBootstrap().locale.replace( /_/g, '-' );
}
