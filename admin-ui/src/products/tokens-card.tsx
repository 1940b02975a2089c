/**
 * Integration tokens: generate (shown once, with a copy button), list, revoke.
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
import { formatDateTime, formatNumber } from '../ui/format';
import { ListCard } from '../ui/list-card';
import { RowAction } from '../ui/row-action';
import { StatusBadge } from '../ui/status-badge';
import { useTokens } from './data';

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
		<ListCard
			title={ __( 'Integration tokens', 'sync-hub' ) }
			cardClassName="synchub-card--wide synchub-products-tokens"
			source={ tokens }
			loadingLabel={ __( 'Loading tokens…', 'sync-hub' ) }
			empty={ __( 'No integration tokens yet.', 'sync-hub' ) }
			toolbar={
				<>
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
				</>
			}
			rowKey={ ( token ) => token.id }
			rowData={ ( token ) => ( { 'data-token-id': token.id } ) }
			columns={ [
				{
					header: __( 'Name', 'sync-hub' ),
					cell: ( token ) => token.name,
				},
				{
					header: __( 'Token', 'sync-hub' ),
					cell: ( token ) => <code>{ token.preview }</code>,
				},
				{
					header: __( 'Status', 'sync-hub' ),
					cell: ( token ) =>
						token.is_active ? (
							<StatusBadge tone="success" value="active">
								{ __( 'Active', 'sync-hub' ) }
							</StatusBadge>
						) : (
							<StatusBadge tone="neutral" value="revoked">
								{ __( 'Revoked', 'sync-hub' ) }
							</StatusBadge>
						),
				},
				{
					header: __( 'Last used', 'sync-hub' ),
					cell: ( token ) =>
						token.last_used_at
							? formatDateTime( token.last_used_at )
							: __( 'Never', 'sync-hub' ),
				},
				{
					header: __( 'Uses', 'sync-hub' ),
					numeric: true,
					cell: ( token ) => formatNumber( token.usage_count ),
				},
			] }
			actions={ ( token ) =>
				token.is_active && (
					<RowAction
						isDestructive
						busy={ busyId === token.id }
						onClick={ () => void tokens.revoke.mutate( token ) }
						label={ sprintf(
							/* translators: %s: token name. */
							__( 'Revoke token %s', 'sync-hub' ),
							token.name
						) }
					>
						{ __( 'Revoke', 'sync-hub' ) }
					</RowAction>
				)
			}
		/>
	);
}
