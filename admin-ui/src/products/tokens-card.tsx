/**
 * Integration tokens: generate (shown once, with a copy button), list, revoke.
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
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatDateTime, formatNumber } from '../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../ui/request-states';
import { RowAction } from '../ui/row-action';
import { StatusBadge } from '../ui/status-badge';
import { useTokens, type IntegrationToken } from './data';

function NewToken( { token, onDone }: { token: string; onDone: () => void } ) {
	const [ copied, setCopied ] = useState( false );
	const copy = async () => {
		try {
			await navigator.clipboard.writeText( token );
			setCopied( true );
		} catch {
			setCopied( false );
		}
	};
	return (
		<Notice
			status="warning"
			isDismissible={ false }
			className="synchub-products__new-token"
		>
			<p>
				{ __(
					'Copy this token now. It is stored only as a hash and will not be shown again.',
					'sync-hub'
				) }
			</p>
			<p>
				<code data-token>{ token }</code>
			</p>
			<Button variant="primary" onClick={ () => void copy() }>
				{ copied
					? __( 'Copied', 'sync-hub' )
					: __( 'Copy token', 'sync-hub' ) }
			</Button>{ ' ' }
			<Button variant="tertiary" onClick={ onDone }>
				{ __( 'Done', 'sync-hub' ) }
			</Button>
		</Notice>
	);
}

function TokenRows( {
	tokens,
	onRevoke,
	busyId,
}: {
	tokens: IntegrationToken[];
	onRevoke: ( token: IntegrationToken ) => void;
	busyId: number | undefined;
} ) {
	return (
		<table className="widefat striped synchub-table">
			<thead>
				<tr>
					<th scope="col">{ __( 'Name', 'sync-hub' ) }</th>
					<th scope="col">{ __( 'Token', 'sync-hub' ) }</th>
					<th scope="col">{ __( 'Status', 'sync-hub' ) }</th>
					<th scope="col">{ __( 'Last used', 'sync-hub' ) }</th>
					<th scope="col" className="is-numeric">
						{ __( 'Uses', 'sync-hub' ) }
					</th>
					<th scope="col">
						<span className="screen-reader-text">
							{ __( 'Actions', 'sync-hub' ) }
						</span>
					</th>
				</tr>
			</thead>
			<tbody>
				{ tokens.map( ( token ) => (
					<tr key={ token.id } data-token-id={ token.id }>
						<td>{ token.name }</td>
						<td>
							<code>{ token.preview }</code>
						</td>
						<td>
							{ token.is_active ? (
								<StatusBadge tone="success" value="active">
									{ __( 'Active', 'sync-hub' ) }
								</StatusBadge>
							) : (
								<StatusBadge tone="neutral" value="revoked">
									{ __( 'Revoked', 'sync-hub' ) }
								</StatusBadge>
							) }
						</td>
						<td>
							{ token.last_used_at
								? formatDateTime( token.last_used_at )
								: __( 'Never', 'sync-hub' ) }
						</td>
						<td className="is-numeric">
							{ formatNumber( token.usage_count ) }
						</td>
						<td className="synchub-table__actions">
							{ token.is_active && (
								<RowAction
									isDestructive
									busy={ busyId === token.id }
									onClick={ () => onRevoke( token ) }
									label={ sprintf(
										/* translators: %s: token name. */
										__( 'Revoke token %s', 'sync-hub' ),
										token.name
									) }
								>
									{ __( 'Revoke', 'sync-hub' ) }
								</RowAction>
							) }
						</td>
					</tr>
				) ) }
			</tbody>
		</table>
	);
}

export function TokensCard() {
	const tokens = useTokens();
	const [ name, setName ] = useState( '' );
	const [ shown, setShown ] = useState< string | undefined >( undefined );
	const generate = async () => {
		const result = await tokens.generate.mutate( { name: name.trim() } );
		if ( result ) {
			setShown( result.token );
			setName( '' );
		}
	};
	const busyId =
		tokens.revoke.status === 'resolving'
			? tokens.revoke.variables?.id
			: undefined;
	return (
		<Card className="synchub-card synchub-card--wide synchub-products-tokens">
			<CardHeader>
				<h2 className="synchub-card__title">
					{ __( 'Integration tokens', 'sync-hub' ) }
				</h2>
			</CardHeader>
			<CardBody>
				{ shown && (
					<NewToken
						token={ shown }
						onDone={ () => setShown( undefined ) }
					/>
				) }
				<form
					className="synchub-inline-form"
					onSubmit={ ( event ) => {
						event.preventDefault();
						void generate();
					} }
				>
					<TextControl
						label={ __( 'Token name', 'sync-hub' ) }
						help={ __(
							'Who uses it, e.g. the knowledge backend.',
							'sync-hub'
						) }
						value={ name }
						onChange={ ( value: string ) => setName( value ) }
						__nextHasNoMarginBottom
					/>
					<Button
						variant="primary"
						type="submit"
						isBusy={ tokens.generate.status === 'resolving' }
						disabled={
							name.trim() === '' ||
							tokens.generate.status === 'resolving'
						}
					>
						{ __( 'Generate token', 'sync-hub' ) }
					</Button>
				</form>
				{ tokens.status === 'error' && tokens.error && (
					<ErrorState
						error={ tokens.error }
						onRetry={ () => void tokens.refresh() }
					/>
				) }
				{ tokens.data === undefined && tokens.status !== 'error' && (
					<LoadingState
						label={ __( 'Loading tokens…', 'sync-hub' ) }
					/>
				) }
				{ tokens.data &&
					( tokens.data.length === 0 ? (
						<EmptyState>
							{ __( 'No integration tokens yet.', 'sync-hub' ) }
						</EmptyState>
					) : (
						<TokenRows
							tokens={ tokens.data }
							busyId={ busyId }
							onRevoke={ ( token ) =>
								void tokens.revoke.mutate( token )
							}
						/>
					) ) }
			</CardBody>
		</Card>
	);
}
