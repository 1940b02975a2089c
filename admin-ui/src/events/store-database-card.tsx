/**
 * Events → Store database: where the worker reads the store's orders, directly or through an SSH
 * server (most hosted stores only expose MySQL that way). Saved settings override the worker's
 * environment; secrets are write-only and kept only for the host and user they were saved for.
 */

/**
 * External dependencies
 */
import type { FormEvent } from 'react';

/**
 * WordPress dependencies
 */
import {
	Button,
	TextareaControl,
	TextControl,
	ToggleControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { ConnectionActions, ConnectionCard } from '../ui/connection-card';
import { ConnectionTestResult } from '../ui/request-states';
import { FieldErrors } from './data';
import {
	useStoreDatabase,
	type StoreDatabase,
	type StoreDatabaseInput,
	type StoreDatabaseResource,
	type StoreDatabaseTest,
} from './store-database';

const orEmpty = ( value: string ) => ( value === '' ? undefined : value );

/**
 * The sentence a test result reads as: each stage on its own.
 *
 * @param result The worker's answer.
 * @return Success text, or undefined when a stage failed.
 */
export function testSummary( result: StoreDatabaseTest ): {
	success?: string;
	failure?: string;
} {
	if ( result.ssh && ! result.ssh.ok ) {
		return {
			failure: sprintf(
				/* translators: %s: the SSH error. */
				__( 'SSH failed: %s', 'sync-hub' ),
				result.ssh.error ?? ''
			),
		};
	}
	if ( ! result.mysql.ok && result.ssh ) {
		return {
			failure: sprintf(
				/* translators: %s: the database error. */
				__( 'SSH: connected. MySQL failed: %s', 'sync-hub' ),
				result.mysql.error ?? ''
			),
		};
	}
	if ( ! result.mysql.ok ) {
		return {
			failure: sprintf(
				/* translators: %s: the database error. */
				__( 'MySQL failed: %s', 'sync-hub' ),
				result.mysql.error ?? ''
			),
		};
	}
	const mysql = sprintf(
		/* translators: %s: WooCommerce order storage, hpos or legacy. */
		__( 'MySQL: connected (%s order storage).', 'sync-hub' ),
		result.mysql.storageMode ?? ''
	);
	if ( ! result.ssh ) {
		return { success: mysql };
	}
	return {
		/* translators: %s: the SSH server's host key fingerprint. */
		success: `${ sprintf( __( 'SSH: connected, host key %s.', 'sync-hub' ), result.ssh.hostKey ?? '' ) } ${ mysql }`,
	};
}

function StoreDatabaseForm( {
	saved,
	resource,
}: {
	saved: StoreDatabase;
	resource: StoreDatabaseResource;
} ) {
	const [ host, setHost ] = useState( saved.host );
	const [ port, setPort ] = useState( String( saved.port ) );
	const [ user, setUser ] = useState( saved.user );
	const [ password, setPassword ] = useState( '' );
	const [ database, setDatabase ] = useState( saved.database );
	const [ prefix, setPrefix ] = useState( saved.table_prefix );
	const [ useSsh, setUseSsh ] = useState( saved.ssh !== null );
	const [ sshHost, setSshHost ] = useState( saved.ssh?.host ?? '' );
	const [ sshPort, setSshPort ] = useState( String( saved.ssh?.port ?? 22 ) );
	const [ sshUser, setSshUser ] = useState( saved.ssh?.username ?? '' );
	const [ sshPassword, setSshPassword ] = useState( '' );
	const [ privateKey, setPrivateKey ] = useState( '' );
	const [ passphrase, setPassphrase ] = useState( '' );
	const [ hostKey, setHostKey ] = useState( saved.ssh?.host_key ?? '' );
	const { save, test, reset } = resource;
	const fields =
		save.status === 'error' && save.error instanceof FieldErrors
			? save.error.fields
			: {};
	const fieldError = ( name: string ) =>
		fields[ name ]?.length ? (
			<span className="synchub-field-error" role="alert">
				{ fields[ name ]?.join( ' ' ) }
			</span>
		) : undefined;

	const input = (): StoreDatabaseInput => ( {
		host,
		port: Number( port ) || 3306,
		user,
		password: orEmpty( password ),
		database,
		table_prefix: prefix,
		ssh: useSsh
			? {
					host: sshHost,
					port: Number( sshPort ) || 22,
					username: sshUser,
					password: orEmpty( sshPassword ),
					private_key: orEmpty( privateKey ),
					passphrase: orEmpty( passphrase ),
					host_key: orEmpty( hostKey ),
				}
			: null,
	} );
	const onSubmit = async ( event: FormEvent ) => {
		event.preventDefault();
		if ( ( await save.mutate( input() ) ) !== undefined ) {
			setPassword( '' );
			setSshPassword( '' );
			setPrivateKey( '' );
			setPassphrase( '' );
		}
	};
	const kept = __(
		'Saved. Leave blank to keep it (same host and user only).',
		'sync-hub'
	);
	const summary = test.result ? testSummary( test.result ) : {};
	return (
		<form
			className="synchub-events-store"
			onSubmit={ ( event ) => void onSubmit( event ) }
		>
			<p className="synchub-muted">
				{ saved.source === 'settings'
					? __(
							'Saved here: these settings override the worker’s environment.',
							'sync-hub'
						)
					: __(
							'From the worker’s environment (WOOCOMMERCE_MYSQL_*, WOOCOMMERCE_SSH_*). Saving here overrides it.',
							'sync-hub'
						) }
			</p>
			<TextControl
				label={ __( 'Database host', 'sync-hub' ) }
				help={
					fieldError( 'host' ) ??
					( useSsh
						? __(
								'As the SSH server sees it, often 127.0.0.1.',
								'sync-hub'
							)
						: undefined )
				}
				value={ host }
				onChange={ setHost }
				autoComplete="off"
				__nextHasNoMarginBottom
			/>
			<TextControl
				label={ __( 'Database port', 'sync-hub' ) }
				type="number"
				value={ port }
				onChange={ setPort }
				__nextHasNoMarginBottom
			/>
			<TextControl
				label={ __( 'Database user', 'sync-hub' ) }
				help={ fieldError( 'user' ) }
				value={ user }
				onChange={ setUser }
				autoComplete="off"
				__nextHasNoMarginBottom
			/>
			<TextControl
				label={ __( 'Database password', 'sync-hub' ) }
				help={
					fieldError( 'password' ) ??
					( saved.has_password ? kept : undefined )
				}
				type="password"
				value={ password }
				onChange={ setPassword }
				autoComplete="new-password"
				__nextHasNoMarginBottom
			/>
			<TextControl
				label={ __( 'Database name', 'sync-hub' ) }
				help={ fieldError( 'database' ) }
				value={ database }
				onChange={ setDatabase }
				autoComplete="off"
				__nextHasNoMarginBottom
			/>
			<TextControl
				label={ __( 'Table prefix', 'sync-hub' ) }
				help={ fieldError( 'table_prefix' ) }
				value={ prefix }
				onChange={ setPrefix }
				autoComplete="off"
				__nextHasNoMarginBottom
			/>
			<ToggleControl
				label={ __( 'Connect through an SSH server', 'sync-hub' ) }
				checked={ useSsh }
				onChange={ setUseSsh }
				__nextHasNoMarginBottom
			/>
			{ useSsh && (
				<fieldset className="synchub-events-store__ssh">
					<TextControl
						label={ __( 'SSH host', 'sync-hub' ) }
						help={ fieldError( 'ssh.host' ) }
						value={ sshHost }
						onChange={ setSshHost }
						autoComplete="off"
						__nextHasNoMarginBottom
					/>
					<TextControl
						label={ __( 'SSH port', 'sync-hub' ) }
						type="number"
						value={ sshPort }
						onChange={ setSshPort }
						__nextHasNoMarginBottom
					/>
					<TextControl
						label={ __( 'SSH user', 'sync-hub' ) }
						help={ fieldError( 'ssh.username' ) }
						value={ sshUser }
						onChange={ setSshUser }
						autoComplete="off"
						__nextHasNoMarginBottom
					/>
					<TextControl
						label={ __( 'SSH password', 'sync-hub' ) }
						help={
							fieldError( 'ssh.password' ) ??
							( saved.ssh?.has_password
								? kept
								: __( 'Or a private key below.', 'sync-hub' ) )
						}
						type="password"
						value={ sshPassword }
						onChange={ setSshPassword }
						autoComplete="new-password"
						__nextHasNoMarginBottom
					/>
					<TextareaControl
						label={ __( 'SSH private key', 'sync-hub' ) }
						help={
							saved.ssh?.has_private_key
								? kept
								: __(
										'The whole key, BEGIN and END lines included.',
										'sync-hub'
									)
						}
						value={ privateKey }
						onChange={ setPrivateKey }
						__nextHasNoMarginBottom
					/>
					<TextControl
						label={ __( 'Key passphrase', 'sync-hub' ) }
						type="password"
						value={ passphrase }
						onChange={ setPassphrase }
						autoComplete="new-password"
						__nextHasNoMarginBottom
					/>
					<TextControl
						label={ __( 'Host key fingerprint', 'sync-hub' ) }
						help={
							fieldError( 'ssh.host_key' ) ??
							__(
								'SHA256:… as ssh-keygen -lf prints it; any other key is refused. Test the connection to see the server’s.',
								'sync-hub'
							)
						}
						value={ hostKey }
						onChange={ setHostKey }
						autoComplete="off"
						__nextHasNoMarginBottom
					/>
				</fieldset>
			) }
			<ConnectionActions
				saveLabel={ __( 'Save store database', 'sync-hub' ) }
				save={ save }
				test={ test }
				onTest={ () => void test.mutate( input() ) }
			>
				{ saved.source === 'settings' && (
					<Button
						variant="tertiary"
						isDestructive
						onClick={ () => void reset.mutate( undefined ) }
					>
						{ __( 'Use the environment again', 'sync-hub' ) }
					</Button>
				) }
			</ConnectionActions>
			<ConnectionTestResult
				className="synchub-events-store__test"
				success={ summary.success }
				failure={ summary.failure }
				requestError={
					test.status === 'error' ? test.error?.message : undefined
				}
			/>
		</form>
	);
}

export function StoreDatabaseCard() {
	const resource = useStoreDatabase();
	return (
		<ConnectionCard
			title={ __( 'Store database', 'sync-hub' ) }
			cardClassName="synchub-events-store-database"
			source={ resource }
			loadingLabel={ __(
				'Loading the store database settings…',
				'sync-hub'
			) }
			formKey={ ( data ) => JSON.stringify( data ) }
			form={ ( data ) => (
				<StoreDatabaseForm saved={ data } resource={ resource } />
			) }
		/>
	);
}
