/**
 * Where product events go: endpoint URL (default: this worker), token, signing key, debounce;
 * Test connection. Only administrators change where events go and with which secrets.
 */

/**
 * WordPress dependencies
 */
import {
	Button,
	Card,
	CardBody,
	CardHeader,
	Notice,
	TextControl,
} from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { ErrorState, LoadingState } from '../ui/request-states';
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

export function FeedCard() {
	const feed = useFeedSettings();
	const [ url, setUrl ] = useState( '' );
	const [ token, setToken ] = useState( '' );
	const [ signingKey, setSigningKey ] = useState( '' );
	const [ debounce, setDebounce ] = useState( '30' );
	useEffect( () => {
		if ( feed.data ) {
			setUrl( feed.data.endpoint_url );
			setSigningKey( feed.data.signing_key ?? '' );
			setDebounce( String( feed.data.debounce ) );
		}
	}, [ feed.data ] );
	const seconds = Number( debounce );
	const valid =
		Number.isInteger( seconds ) && seconds >= 0 && seconds <= 3600;
	const canEdit = feed.data?.can_edit_connection === true;
	const mustReenter =
		feed.data !== undefined &&
		canEdit &&
		tokenMustBeReentered( feed.data, url, token );
	const save = async () => {
		const input: FeedSettingsInput = { debounce: seconds };
		if ( canEdit ) {
			input.endpoint_url = url.trim();
			if ( token.trim() !== '' ) {
				input.token = token.trim();
			}
			if (
				signingKey.trim() !== '' &&
				signingKey.trim() !== feed.data?.signing_key
			) {
				input.signing_key = signingKey.trim();
			}
		}
		const saved = await feed.save.mutate( input );
		if ( saved ) {
			setToken( '' );
		}
	};
	const saving = feed.save.status === 'resolving';
	return (
		<Card className="synchub-card synchub-products-feed">
			<CardHeader>
				<h2 className="synchub-card__title">
					{ __( 'Products feed', 'sync-hub' ) }
				</h2>
			</CardHeader>
			<CardBody>
				{ feed.status === 'error' && feed.error && (
					<ErrorState
						error={ feed.error }
						onRetry={ () => void feed.refresh() }
					/>
				) }
				{ feed.data === undefined && feed.status !== 'error' && (
					<LoadingState
						label={ __( 'Loading the feed settings…', 'sync-hub' ) }
					/>
				) }
				{ feed.data && (
					<form
						onSubmit={ ( event ) => {
							event.preventDefault();
							void save();
						} }
					>
						{ feed.data.token_needs_reentry && (
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
							placeholder={ feed.data.default_endpoint_url }
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
								help={ tokenHelp( feed.data, mustReenter ) }
								onChange={ ( value: string ) =>
									setToken( value )
								}
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
								onChange={ ( value: string ) =>
									setSigningKey( value )
								}
								__nextHasNoMarginBottom
							/>
						) }
						<TextControl
							label={ __(
								'Wait for further changes (seconds)',
								'sync-hub'
							) }
							type="number"
							min={ 0 }
							max={ 3600 }
							value={ debounce }
							onChange={ ( value: string ) =>
								setDebounce( value )
							}
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
								feed.data.effective_url
							) }
						</p>
						<Button
							variant="primary"
							type="submit"
							disabled={ ! valid || mustReenter || saving }
							isBusy={ saving }
						>
							{ __( 'Save', 'sync-hub' ) }
						</Button>{ ' ' }
						<Button
							variant="secondary"
							onClick={ () => void feed.test.mutate() }
							disabled={ feed.test.status === 'resolving' }
							isBusy={ feed.test.status === 'resolving' }
						>
							{ __( 'Test connection', 'sync-hub' ) }
						</Button>{ ' ' }
						{ canEdit && (
							<Button
								variant="tertiary"
								onClick={ () =>
									void feed.save.mutate( {
										regenerate_signing_key: true,
									} )
								}
								disabled={ saving }
							>
								{ __(
									'Generate a new signing key',
									'sync-hub'
								) }
							</Button>
						) }
					</form>
				) }
			</CardBody>
		</Card>
	);
}
