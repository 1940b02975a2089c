/**
 * Orders sent to Odoo (with the Odoo order names) and failures with Retry; "Sync all unsynced"
 * and "Send test order".
 */

/**
 * WordPress dependencies
 */
import {
	Button,
	Card,
	CardBody,
	CardHeader,
	TabPanel,
	TextControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { ListTable } from '../ui/list-card';
import {
	useBookingOrders,
	useSendTestOrder,
	type BookingOrderStatus,
} from './data';

function OrdersTable( { status }: { status: BookingOrderStatus } ) {
	const resource = useBookingOrders( status );
	const { data, retry } = resource;
	const failed = status === 'failed';
	return (
		<ListTable
			source={ { ...resource, data: data?.items } }
			className="widefat striped synchub-bookings__orders"
			tableData={ { 'data-status': status } }
			loadingLabel={ __( 'Loading orders…', 'sync-hub' ) }
			empty={
				failed
					? __( 'No failed orders.', 'sync-hub' )
					: __( 'No orders synced yet.', 'sync-hub' )
			}
			rowKey={ ( row ) => row.orderId }
			rowData={ ( row ) => ( { 'data-order': row.orderId } ) }
			columns={ [
				{
					header: __( 'Order', 'sync-hub' ),
					cell: ( row ) => `#${ row.number }`,
				},
				{
					header: __( 'Paid', 'sync-hub' ),
					cell: ( row ) => row.paidAt ?? '—',
				},
				failed
					? {
							header: __( 'Error', 'sync-hub' ),
							className: 'synchub-bookings__error',
							cell: ( row ) => row.lastError ?? '—',
						}
					: {
							header: __( 'Odoo order', 'sync-hub' ),
							cell: ( row ) => row.odooOrderName ?? '—',
						},
			] }
			actions={
				failed
					? ( row ) => (
							<Button
								variant="secondary"
								isBusy={
									retry.status === 'resolving' &&
									retry.variables === row.orderId
								}
								disabled={ retry.status === 'resolving' }
								onClick={ () =>
									void retry.mutate( row.orderId )
								}
							>
								{ __( 'Retry', 'sync-hub' ) }
							</Button>
						)
					: undefined
			}
		/>
	);
}

function Actions() {
	const orders = useBookingOrders( 'pending' );
	const sendTest = useSendTestOrder();
	const [ orderId, setOrderId ] = useState( '' );
	return (
		<div className="synchub-bookings__actions">
			<Button
				variant="secondary"
				isBusy={ orders.syncAll.status === 'resolving' }
				disabled={ orders.syncAll.status === 'resolving' }
				onClick={ () => void orders.syncAll.mutate( undefined ) }
			>
				{ __( 'Sync all unsynced orders', 'sync-hub' ) }
			</Button>
			<TextControl
				label={ __(
					'Order number for the test (optional)',
					'sync-hub'
				) }
				type="number"
				min={ 1 }
				value={ orderId }
				onChange={ setOrderId }
				__nextHasNoMarginBottom
			/>
			<Button
				variant="secondary"
				isBusy={ sendTest.status === 'resolving' }
				disabled={ sendTest.status === 'resolving' }
				onClick={ () =>
					void sendTest.mutate(
						orderId.trim() === '' ? undefined : Number( orderId )
					)
				}
			>
				{ __( 'Send test order', 'sync-hub' ) }
			</Button>
		</div>
	);
}

export function OrdersCard() {
	return (
		<Card className="synchub-card synchub-bookings-orders">
			<CardHeader>
				<h2 className="synchub-card__title">
					{ __( 'Orders in Odoo', 'sync-hub' ) }
				</h2>
			</CardHeader>
			<CardBody>
				<TabPanel
					tabs={ [
						{ name: 'synced', title: __( 'Synced', 'sync-hub' ) },
						{ name: 'failed', title: __( 'Failed', 'sync-hub' ) },
					] }
				>
					{ ( tab ) => (
						<OrdersTable
							status={
								tab.name === 'failed' ? 'failed' : 'synced'
							}
						/>
					) }
				</TabPanel>
				<Actions />
			</CardBody>
		</Card>
	);
}
