<?php
/**
 * Test double of WooCommerce's product CRUD API over real posts (`product`, `product_variation`)
 * and post meta. Only the getters Sync Hub reads; saving fires the same hooks WooCommerce fires.
 * Loaded only when WooCommerce is absent (see mu-plugins/synchub-wc-product-double.php).
 *
 * @package SyncHub\Tests
 */

// phpcs:disable Generic.Files.OneObjectStructurePerFile.MultipleFound

add_action(
	'init',
	static function () {
		if ( ! post_type_exists( 'product' ) ) {
			register_post_type( 'product', array( 'public' => true ) );
			register_post_type( 'product_variation', array( 'public' => false ) );
			register_taxonomy( 'product_cat', 'product' );
			register_taxonomy( 'product_tag', 'product' );
		}
	},
	0
);

/**
 * A product or variation stored as a post.
 */
class WC_Product {
	/** @var int */
	private $id;

	/** @var array<string, mixed> Changes waiting for save(). */
	private $pending = array();

	/**
	 * @param int $id Post id.
	 */
	public function __construct( int $id ) {
		$this->id = $id;
	}

	/**
	 * Create a product like WooCommerce's data store does, firing its hooks.
	 *
	 * @param array<string, mixed> $data name, type, status, parent, sku, prices, stock, categories, tags, attributes.
	 */
	public static function create_for_test( array $data ): self {
		$is_variation = ! empty( $data['parent'] );
		$id           = wp_insert_post(
			array(
				'post_type'    => $is_variation ? 'product_variation' : 'product',
				'post_status'  => $data['status'] ?? 'publish',
				'post_title'   => $data['name'] ?? 'Test product',
				'post_excerpt' => $data['short_description'] ?? '',
				'post_content' => $data['description'] ?? '',
				'post_parent'  => (int) ( $data['parent'] ?? 0 ),
			),
			true
		);
		if ( is_wp_error( $id ) ) {
			throw new RuntimeException( $id->get_error_message() );
		}
		$product = new self( (int) $id );
		$product->set_for_test( $data, false );
		do_action( $is_variation ? 'woocommerce_new_product_variation' : 'woocommerce_new_product', $product->get_id(), $product );
		return $product;
	}

	/**
	 * Change fields and save, firing WooCommerce's update hook.
	 *
	 * @param array<string, mixed> $data Fields.
	 * @param bool                 $fire Fire the update hook.
	 */
	public function set_for_test( array $data, bool $fire = true ): void {
		$post = array( 'ID' => $this->id );
		foreach ( array( 'name' => 'post_title', 'short_description' => 'post_excerpt', 'description' => 'post_content', 'status' => 'post_status' ) as $key => $field ) {
			if ( array_key_exists( $key, $data ) ) {
				$post[ $field ] = $data[ $key ];
			}
		}
		if ( count( $post ) > 1 ) {
			wp_update_post( $post );
		}
		foreach ( array( 'sku', 'price', 'regular_price', 'sale_price', 'stock_quantity', 'stock_status', 'manage_stock', 'type', 'attributes' ) as $key ) {
			if ( array_key_exists( $key, $data ) ) {
				update_post_meta( $this->id, '_test_' . $key, $data[ $key ] );
			}
		}
		foreach ( array( 'categories' => 'product_cat', 'tags' => 'product_tag' ) as $key => $taxonomy ) {
			if ( array_key_exists( $key, $data ) ) {
				wp_set_object_terms( $this->id, $data[ $key ], $taxonomy );
			}
		}
		clean_post_cache( $this->id );
		if ( $fire ) {
			do_action( $this->is_variation() ? 'woocommerce_update_product_variation' : 'woocommerce_update_product', $this->id, $this );
		}
	}

	private function meta( string $key, $default = '' ) {
		$value = get_post_meta( $this->id, '_test_' . $key, true );
		return '' === $value ? $default : $value;
	}

	private function post(): WP_Post {
		$post = get_post( $this->id );
		if ( ! $post instanceof WP_Post ) {
			throw new RuntimeException( 'product post is gone' );
		}
		return $post;
	}

	private function is_variation(): bool {
		return 'product_variation' === get_post_type( $this->id );
	}

	public function get_id(): int {
		return $this->id;
	}

	public function get_parent_id(): int {
		return (int) $this->post()->post_parent;
	}

	public function get_type(): string {
		return $this->is_variation() ? 'variation' : (string) $this->meta( 'type', 'simple' );
	}

	public function is_type( $type ): bool {
		return in_array( $this->get_type(), (array) $type, true );
	}

	public function get_status(): string {
		return (string) $this->post()->post_status;
	}

	public function get_name(): string {
		return (string) $this->post()->post_title;
	}

	public function get_short_description(): string {
		return (string) $this->post()->post_excerpt;
	}

	public function get_description(): string {
		return (string) $this->post()->post_content;
	}

	public function get_sku(): string {
		return (string) $this->meta( 'sku' );
	}

	public function get_price(): string {
		return (string) $this->meta( 'price' );
	}

	public function get_regular_price(): string {
		return (string) $this->meta( 'regular_price' );
	}

	public function get_sale_price(): string {
		return (string) $this->meta( 'sale_price' );
	}

	/** @return int|null */
	public function get_stock_quantity() {
		$value = $this->meta( 'stock_quantity', null );
		return null === $value ? null : (int) $value;
	}

	/** Stock management on (`manage_stock` => true at creation); used by the stock endpoint. */
	public function managing_stock(): bool {
		return (bool) $this->meta( 'manage_stock', false );
	}

	public function get_manage_stock(): bool {
		return $this->managing_stock();
	}

	/** @param bool $manage Whether the product manages stock (saved by save()). */
	public function set_manage_stock( $manage ): void {
		$this->pending['manage_stock'] = (bool) $manage;
	}

	/** Save pending changes like WC_Product::save(), firing the update hook. */
	public function save(): int {
		$this->set_for_test( $this->pending );
		$this->pending = array();
		return $this->id;
	}

	public function get_stock_status(): string {
		return (string) $this->meta( 'stock_status', 'instock' );
	}

	public function get_image_id(): int {
		return 0;
	}

	/** WC_Product::is_on_sale() without sale schedules: a sale price below the regular one. */
	public function is_on_sale(): bool {
		$sale = $this->get_sale_price();
		return '' !== $sale && (float) $sale < (float) $this->get_regular_price();
	}

	/** @return int[] */
	public function get_gallery_image_ids(): array {
		return array();
	}

	public function get_date_modified(): ?DateTime {
		return new DateTime( $this->post()->post_modified_gmt . ' UTC' );
	}

	/** @return int[] */
	public function get_children(): array {
		return array_map( 'intval', get_children( array( 'post_parent' => $this->id, 'post_type' => 'product_variation', 'fields' => 'ids', 'post_status' => 'any', 'orderby' => 'ID', 'order' => 'ASC' ) ) );
	}

	/** @return array<string, string> */
	public function get_variation_attributes(): array {
		$attributes = $this->meta( 'attributes', array() );
		$out        = array();
		foreach ( (array) $attributes as $key => $value ) {
			$out[ 'attribute_' . $key ] = (string) $value;
		}
		return $out;
	}
}

/**
 * @param mixed $the_product Id.
 * @return WC_Product|false
 */
function wc_get_product( $the_product = false ) {
	$id   = is_object( $the_product ) ? (int) $the_product->get_id() : absint( $the_product );
	$type = $id > 0 ? get_post_type( $id ) : false;
	return in_array( $type, array( 'product', 'product_variation' ), true ) ? new WC_Product( $id ) : false;
}

/**
 * The subset of wc_get_products() the backfill uses: status, limit, page, paginate, ordered by ID.
 *
 * @param array<string, mixed> $args Query args.
 * @return object{products: WC_Product[], total: int, max_num_pages: int}
 */
function wc_get_products( array $args ) {
	$query = new WP_Query(
		array(
			'post_type'      => 'product',
			'post_status'    => $args['status'] ?? 'publish',
			'posts_per_page' => (int) ( $args['limit'] ?? 10 ),
			'paged'          => (int) ( $args['page'] ?? 1 ),
			'orderby'        => 'ID',
			'order'          => 'ASC',
			'fields'         => 'ids',
		)
	);
	return (object) array(
		'products'      => array_map( static function ( $id ) { return new WC_Product( (int) $id ); }, $query->posts ),
		'total'         => (int) $query->found_posts,
		'max_num_pages' => (int) $query->max_num_pages,
	);
}

if ( ! function_exists( 'get_woocommerce_currency' ) ) {
	function get_woocommerce_currency(): string {
		return 'EUR';
	}
}
