/**
 * The sealed address detail: everything below the district, and the recipient's name. Every view that
 * shows the address shows the name, so sealing them together makes one decryption a view instead of two
 * (3.8 against 7.5 us); `name_ct` still holds the name alone, for views without the address (CS). Rows
 * ingested before the name joined the detail lack it until `keys rotate` re-seals them.
 */
export interface AddressDetail {
  name?: string | undefined;
  street: string;
  building?: string | undefined;
  unit?: string | undefined;
  room?: string | undefined;
}
