/**
 * Where product events go: endpoint URL (default: this worker), token, debounce; Test connection.
 */

/**
 * WordPress dependencies
 */
import { Button, Card, CardBody, CardHeader, TextControl } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { ErrorState, LoadingState } from '../ui/request-states';
import { useFeedSettings } from './data';

export function FeedCard() {
	const feed = useFeedSettings();
	const [ url, setUrl ] = useState( '' );
	const [ token, setToken ] = useState( '' );
	const [ debounce, setDebounce ] = useState( '30' );
	useEffect( () => {
		if ( feed.data ) {
			setUrl( feed.data.endpoint_url );
			setDebounce( String( feed.data.debounce ) );
		}
	}, [ feed.data ] );
	const seconds = Number( debounce );
	const valid = Number.isInteger( seconds ) && seconds >= 0 && seconds <= 3600;
	const save = async () => {
		const saved = await feed.save.mutate( { endpoint_url: url.trim(), debounce: seconds, ...( token.trim() === '' ? {} : { token: token.trim() } ) } );
		if ( saved ) {
			setToken( '' );
		}
	};
	return (
		<Card className="synchub-card synchub-products-feed">
			<CardHeader>
				<h2 className="synchub-card__title">{ __( 'Products feed', 'sync-hub' ) }</h2>
			</CardHeader>
			<CardBody>
				{ feed.status === 'error' && feed.error && <ErrorState error={ feed.error } onRetry={ () => void feed.refresh() } /> }
				{ feed.data === undefined && feed.status !== 'error' && <LoadingState label={ __( 'Loading the feed settings…', 'sync-hub' ) } /> }
				{ feed.data && (
					<form
						onSubmit={ ( event ) => {
							event.preventDefault();
							void save();
						} }
					>
						<TextControl
							label={ __( 'Endpoint URL', 'sync-hub' ) }
							type="url"
							value={ url }
							placeholder={ feed.data.default_endpoint_url }
							help={ __( 'Leave empty to send to the Sync Hub worker.', 'sync-hub' ) }
							onChange={ ( value: string ) => setUrl( value ) }
							__nextHasNoMarginBottom
						/>
						<TextControl
							label={ __( 'Integration token', 'sync-hub' ) }
							type="password"
							autoComplete="off"
							value={ token }
							help={
								feed.data.has_token
									? __( 'A token is saved. Enter a new one to replace it.', 'sync-hub' )
									: __( 'No token saved yet: generate one below and paste it here.', 'sync-hub' )
							}
							onChange={ ( value: string ) => setToken( value ) }
							__nextHasNoMarginBottom
						/>
						<TextControl
							label={ __( 'Wait for further changes (seconds)', 'sync-hub' ) }
							type="number"
							min={ 0 }
							max={ 3600 }
							value={ debounce }
							onChange={ ( value: string ) => setDebounce( value ) }
							help={ valid ? undefined : __( 'Enter a whole number from 0 to 3600.', 'sync-hub' ) }
							__nextHasNoMarginBottom
						/>
						<p className="synchub-muted">
							{ sprintf(
								/* translators: %s: URL product events are sent to. */
								__( 'Events are sent to %s', 'sync-hub' ),
								feed.data.effective_url
							) }
						</p>
						<Button variant="primary" type="submit" disabled={ ! valid || feed.save.status === 'resolving' } isBusy={ feed.save.status === 'resolving' }>
							{ __( 'Save', 'sync-hub' ) }
						</Button>{ ' ' }
						<Button variant="secondary" onClick={ () => void feed.test.mutate() } disabled={ feed.test.status === 'resolving' } isBusy={ feed.test.status === 'resolving' }>
							{ __( 'Test connection', 'sync-hub' ) }
						</Button>
					</form>
				) }
			</CardBody>
		</Card>
	);
}
