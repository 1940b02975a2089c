/**
 * Where product events go: endpoint URL (default: this worker), token, signing key, debounce;
 * Test connection. Only administrators change where events go and with which secrets.
 */

/**
 * WordPress dependencies
 */
import { Button, Notice, TextControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { ConnectionActions, ConnectionCard } from '../ui/connection-card';
import {
	tokenMustBeReentered,
	useFeedSettings,
	type FeedSettings,
	type FeedSettingsInput,
} from './data';

function tokenHelp( feed: FeedSettings, mustReenter: boolean ): string {
	if ( mustReenter ) {
		return __( 'Enter it again: the endpoint changed.', 'sync-hub' );
	}
	return feed.has_token
		? __( 'A token is saved. Enter a new one to replace it.', 'sync-hub' )
		: __(
				'No token saved yet: generate one below and paste it here.',
				'sync-hub'
			);
}

type FeedResource = ReturnType< typeof useFeedSettings >;

export function FeedCard() {
	const feed = useFeedSettings();
	return (
		<ConnectionCard
			title={ __( 'Products feed', 'sync-hub' ) }
			cardClassName="synchub-products-feed"
			source={ feed }
			loadingLabel={ __( 'Loading the feed settings…', 'sync-hub' ) }
			formKey={ ( data ) => JSON.stringify( data ) }
			form={ ( data ) => <FeedForm settings={ data } feed={ feed } /> }
		/>
	);
}

function FeedForm( {
	settings,
	feed,
}: {
	settings: FeedSettings;
	feed: FeedResource;
} ) {
	const [ url, setUrl ] = useState( settings.endpoint_url );
	const [ token, setToken ] = useState( '' );
	const [ signingKey, setSigningKey ] = useState(
		settings.signing_key ?? ''
	);
	const [ debounce, setDebounce ] = useState( String( settings.debounce ) );
	const seconds = Number( debounce );
	const valid =
		Number.isInteger( seconds ) && seconds >= 0 && seconds <= 3600;
	const canEdit = settings.can_edit_connection === true;
	const mustReenter = canEdit && tokenMustBeReentered( settings, url, token );
	const save = async () => {
		const input: FeedSettingsInput = { debounce: seconds };
		if ( canEdit ) {
			input.endpoint_url = url.trim();
			if ( token.trim() !== '' ) {
				input.token = token.trim();
			}
			if (
				signingKey.trim() !== '' &&
				signingKey.trim() !== settings.signing_key
			) {
				input.signing_key = signingKey.trim();
			}
		}
		const saved = await feed.save.mutate( input );
		if ( saved ) {
			setToken( '' );
		}
	};
	return (
		<form
			onSubmit={ ( event ) => {
				event.preventDefault();
				void save();
			} }
		>
			{ settings.token_needs_reentry && (
				<Notice
					status="warning"
					isDismissible={ false }
					className="synchub-products-feed__reenter"
				>
					{ __(
						'The endpoint changed since the integration token was saved: product events wait until the token is entered again.',
						'sync-hub'
					) }
				</Notice>
			) }
			<TextControl
				label={ __( 'Endpoint URL', 'sync-hub' ) }
				type="url"
				value={ url }
				placeholder={ settings.default_endpoint_url }
				help={
					canEdit
						? __(
								'Leave empty to send to the Sync Hub worker.',
								'sync-hub'
							)
						: __(
								'Only administrators can change where product events go.',
								'sync-hub'
							)
				}
				onChange={ ( value: string ) => setUrl( value ) }
				disabled={ ! canEdit }
				readOnly={ ! canEdit }
				__nextHasNoMarginBottom
			/>
			{ canEdit && (
				<TextControl
					label={ __( 'Integration token', 'sync-hub' ) }
					type="password"
					autoComplete="off"
					value={ token }
					help={ tokenHelp( settings, mustReenter ) }
					onChange={ ( value: string ) => setToken( value ) }
					required={ mustReenter }
					__nextHasNoMarginBottom
				/>
			) }
			{ canEdit && (
				<TextControl
					label={ __( 'Signing key', 'sync-hub' ) }
					autoComplete="off"
					value={ signingKey }
					help={ __(
						"Deliveries carry X-WC-Webhook-Signature, the base64 HMAC-SHA256 of the body with this key. Give it to the receiving side; it is not the worker's webhook secret.",
						'sync-hub'
					) }
					onChange={ ( value: string ) => setSigningKey( value ) }
					__nextHasNoMarginBottom
				/>
			) }
			<TextControl
				label={ __( 'Wait for further changes (seconds)', 'sync-hub' ) }
				type="number"
				min={ 0 }
				max={ 3600 }
				value={ debounce }
				onChange={ ( value: string ) => setDebounce( value ) }
				help={
					valid
						? undefined
						: __(
								'Enter a whole number from 0 to 3600.',
								'sync-hub'
							)
				}
				__nextHasNoMarginBottom
			/>
			<p className="synchub-muted">
				{ sprintf(
					/* translators: %s: URL product events are sent to. */
					__( 'Events are sent to %s', 'sync-hub' ),
					settings.effective_url
				) }
			</p>
			<ConnectionActions
				saveLabel={ __( 'Save', 'sync-hub' ) }
				save={ feed.save }
				saveDisabled={ ! valid || mustReenter }
				test={ feed.test }
				onTest={ () => void feed.test.mutate() }
			>
				{ canEdit && (
					<Button
						variant="tertiary"
						onClick={ () =>
							void feed.save.mutate( {
								regenerate_signing_key: true,
							} )
						}
						disabled={ feed.save.status === 'resolving' }
					>
						{ __( 'Generate a new signing key', 'sync-hub' ) }
					</Button>
				) }
			</ConnectionActions>
		</form>
	);
}
