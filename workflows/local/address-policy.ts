/** Webhook endpoints of the local stack: local addresses are what a local endpoint has. */
export const LOCAL_ADDRESS_POLICY = { allowPrivate: true } as const;
