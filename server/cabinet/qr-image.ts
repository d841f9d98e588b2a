import QRCode from "qrcode";

/**
 * The guest's rotating payload as an SVG QR code. Error correction M and a 4-module quiet zone:
 * till scanners read it off a phone screen at an angle and through a scratched glass.
 */
export function qrSvg(payload: string): Promise<string> {
  return QRCode.toString(payload, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
}
