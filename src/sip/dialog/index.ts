export { Dialog, dialogKey, type DialogId, type DialogInit } from './dialog.js';
