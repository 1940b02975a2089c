/**
 * Server answers shaped as the contracts in docs/architecture.md and DESIGN.md say.
 */

export const HEALTHY = {
	status: 'healthy',
	database: true,
	redis: true,
	store_connection: null,
	odoo_connection: null,
	siigo_connection: null,
	queues: {
		events: { waiting: 0, active: 0, failed: 0, delayed: 0 },
		bookings: { waiting: 2, active: 1, failed: 3, delayed: 0 },
		stock: { waiting: 0, active: 0, failed: 0, delayed: 4 },
	},
};

export const DEGRADED = {
	...HEALTHY,
	status: 'degraded',
	redis: false,
	odoo_connection: false,
};

export const EMPTY_OUTBOX = {
	counts: { pending: 0, delivered: 12, failed: 0 },
	items: [],
};

export const FAILED_OUTBOX = {
	counts: { pending: '1', delivered: '40', failed: '2' },
	items: [
		{
			id: '7',
			event_id: '2f1c6a1e-1b7e-4d8a-9a55-0d3f3c1f7a10',
			topic: 'order.paid',
			resource_key: 'order:1001',
			destination: '/webhook/order',
			status: 'failed',
			attempts: '31',
			next_attempt_at: null,
			last_error:
				'cURL error 7: Failed to connect to 127.0.0.1 port 8787',
			created_at: '2025-01-02T10:00:00Z',
			delivered_at: null,
		},
		{
			id: '9',
			event_id: '5a0e1c44-6c55-4d0a-8d1e-8b7a1f3e2c90',
			topic: 'order.paid',
			resource_key: 'order:1002',
			destination: '/webhook/order',
			status: 'failed',
			attempts: '31',
			next_attempt_at: null,
			last_error: 'HTTP 500',
			created_at: '2025-01-02T11:00:00Z',
			delivered_at: null,
		},
	],
};

export const DEAD_LETTERS = {
	items: [
		{
			id: 'repeat:bookings-sweep:1735815600000',
			queue: 'bookings',
			name: 'inbound',
			failedReason: 'Odoo answered: Access Denied',
			attemptsMade: 5,
			timestamp: 1735812000000,
			finishedOn: 1735815600000,
			data: {},
		},
		{
			id: 'inbound-42',
			queue: 'events',
			name: 'inbound',
			failedReason: 'Event store rejected the ticket tier',
			attemptsMade: 5,
			timestamp: 1735812000000,
			finishedOn: 1735812600000,
			data: { inboundEventId: 42 },
		},
	],
};

export const SETTINGS = {
	worker_url: 'http://127.0.0.1:8787',
	has_admin_token: true,
	has_webhook_secret: true,
	can_edit: true,
};

export const NS = '/sync-hub/v1';
