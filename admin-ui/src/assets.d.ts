// Stylesheets are imported for their side effect; webpack extracts them into index.css.
declare module '*.scss';
