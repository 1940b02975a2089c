/**
 * DDL of the WooCommerce tables the events sync reads, as WordPress and WooCommerce create them
 * (see reference/woocommerce-schema.md). TEXT columns get '' defaults so fixtures may omit them.
 */
export function wooCommerceDdl(prefix: string): string[] {
  const t = (name: string) => `\`${prefix}${name}\``;
  const engine = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci';
  return [
    `CREATE TABLE ${t('options')} (
      option_id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
      option_name varchar(191) NOT NULL DEFAULT '',
      option_value longtext NOT NULL DEFAULT '',
      autoload varchar(20) NOT NULL DEFAULT 'yes',
      PRIMARY KEY (option_id), UNIQUE KEY option_name (option_name), KEY autoload (autoload)) ${engine}`,
    `CREATE TABLE ${t('users')} (
      ID bigint(20) unsigned NOT NULL AUTO_INCREMENT,
      user_login varchar(60) NOT NULL DEFAULT '',
      user_pass varchar(255) NOT NULL DEFAULT '',
      user_nicename varchar(50) NOT NULL DEFAULT '',
      user_email varchar(100) NOT NULL DEFAULT '',
      user_url varchar(100) NOT NULL DEFAULT '',
      user_registered datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
      user_activation_key varchar(255) NOT NULL DEFAULT '',
      user_status int(11) NOT NULL DEFAULT 0,
      display_name varchar(250) NOT NULL DEFAULT '',
      PRIMARY KEY (ID), KEY user_login_key (user_login), KEY user_nicename (user_nicename), KEY user_email (user_email)) ${engine}`,
    `CREATE TABLE ${t('posts')} (
      ID bigint(20) unsigned NOT NULL AUTO_INCREMENT,
      post_author bigint(20) unsigned NOT NULL DEFAULT 0,
      post_date datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
      post_date_gmt datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
      post_content longtext NOT NULL DEFAULT '',
      post_title text NOT NULL DEFAULT '',
      post_excerpt text NOT NULL DEFAULT '',
      post_status varchar(20) NOT NULL DEFAULT 'publish',
      comment_status varchar(20) NOT NULL DEFAULT 'open',
      ping_status varchar(20) NOT NULL DEFAULT 'open',
      post_password varchar(255) NOT NULL DEFAULT '',
      post_name varchar(200) NOT NULL DEFAULT '',
      to_ping text NOT NULL DEFAULT '',
      pinged text NOT NULL DEFAULT '',
      post_modified datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
      post_modified_gmt datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
      post_content_filtered longtext NOT NULL DEFAULT '',
      post_parent bigint(20) unsigned NOT NULL DEFAULT 0,
      guid varchar(255) NOT NULL DEFAULT '',
      menu_order int(11) NOT NULL DEFAULT 0,
      post_type varchar(20) NOT NULL DEFAULT 'post',
      post_mime_type varchar(100) NOT NULL DEFAULT '',
      comment_count bigint(20) NOT NULL DEFAULT 0,
      PRIMARY KEY (ID), KEY post_name (post_name(191)), KEY type_status_date (post_type, post_status, post_date, ID),
      KEY post_parent (post_parent), KEY post_author (post_author)) ${engine}`,
    `CREATE TABLE ${t('postmeta')} (
      meta_id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
      post_id bigint(20) unsigned NOT NULL DEFAULT 0,
      meta_key varchar(255) DEFAULT NULL,
      meta_value longtext,
      PRIMARY KEY (meta_id), KEY post_id (post_id), KEY meta_key (meta_key(191))) ${engine}`,
    `CREATE TABLE ${t('woocommerce_order_items')} (
      order_item_id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
      order_item_name text NOT NULL,
      order_item_type varchar(200) NOT NULL DEFAULT '',
      order_id bigint(20) unsigned NOT NULL,
      PRIMARY KEY (order_item_id), KEY order_id (order_id)) ${engine}`,
    `CREATE TABLE ${t('woocommerce_order_itemmeta')} (
      meta_id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
      order_item_id bigint(20) unsigned NOT NULL,
      meta_key varchar(255) DEFAULT NULL,
      meta_value longtext,
      PRIMARY KEY (meta_id), KEY order_item_id (order_item_id), KEY meta_key (meta_key(32))) ${engine}`,
    `CREATE TABLE ${t('wc_orders')} (
      id bigint(20) unsigned NOT NULL,
      status varchar(20) NULL, currency varchar(10) NULL, type varchar(20) NULL,
      tax_amount decimal(26,8) NULL, total_amount decimal(26,8) NULL, customer_id bigint(20) unsigned NULL,
      billing_email varchar(320) NULL, date_created_gmt datetime NULL, date_updated_gmt datetime NULL,
      parent_order_id bigint(20) unsigned NULL, payment_method varchar(100) NULL, payment_method_title text NULL,
      transaction_id varchar(100) NULL, ip_address varchar(100) NULL, user_agent text NULL, customer_note text NULL,
      PRIMARY KEY (id), KEY status (status), KEY date_created (date_created_gmt), KEY customer_id_billing_email (customer_id, billing_email(171)),
      KEY billing_email (billing_email(191)), KEY type_status_date (type, status, date_created_gmt), KEY parent_order_id (parent_order_id),
      KEY date_updated (date_updated_gmt)) ${engine}`,
    `CREATE TABLE ${t('wc_order_addresses')} (
      id bigint(20) unsigned auto_increment PRIMARY KEY, order_id bigint(20) unsigned NOT NULL, address_type varchar(20) NULL,
      first_name text NULL, last_name text NULL, company text NULL, address_1 text NULL, address_2 text NULL, city text NULL,
      state text NULL, postcode text NULL, country text NULL, email varchar(320) NULL, phone varchar(100) NULL,
      KEY order_id (order_id), UNIQUE KEY address_type_order_id (address_type, order_id), KEY email (email(191)), KEY phone (phone)) ${engine}`,
    `CREATE TABLE ${t('wc_order_operational_data')} (
      id bigint(20) unsigned auto_increment PRIMARY KEY, order_id bigint(20) unsigned NULL, created_via varchar(100) NULL,
      woocommerce_version varchar(20) NULL, prices_include_tax tinyint(1) NULL, coupon_usages_are_counted tinyint(1) NULL,
      download_permission_granted tinyint(1) NULL, cart_hash varchar(100) NULL, new_order_email_sent tinyint(1) NULL,
      order_key varchar(100) NULL, order_stock_reduced tinyint(1) NULL, date_paid_gmt datetime NULL, date_completed_gmt datetime NULL,
      shipping_tax_amount decimal(26,8) NULL, shipping_total_amount decimal(26,8) NULL, discount_tax_amount decimal(26,8) NULL,
      discount_total_amount decimal(26,8) NULL, recorded_sales tinyint(1) NULL,
      UNIQUE KEY order_id (order_id), KEY order_key (order_key)) ${engine}`,
    `CREATE TABLE ${t('wc_orders_meta')} (
      id bigint(20) unsigned auto_increment PRIMARY KEY, order_id bigint(20) unsigned NULL, meta_key varchar(255), meta_value text NULL,
      KEY meta_key_value (meta_key(100), meta_value(82)), KEY order_id_meta_key_meta_value (order_id, meta_key(100), meta_value(82))) ${engine}`,
  ];
}
