/** What a platform's order number may hold: ingest refuses anything else, and the consumer page warns on it. */
export const ORDER_NO = /^[A-Za-z0-9_-]{1,64}$/;
