import { errorCodes } from '@mamori/contracts';

/**
 * Failures the browser detects itself, beside the server's `errorCodes`: the request never got
 * an answer, or the answer was not what the contract says.
 */
export const clientErrorCodes = ['network_error', 'unexpected_response'] as const;
export type ClientErrorCode = (typeof clientErrorCodes)[number];

/** Every code an `ApiError` can carry; each has a message at `errors.<code>` in ja and en. */
export const apiErrorCodes = [...errorCodes, ...clientErrorCodes] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];
