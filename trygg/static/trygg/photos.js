/* Trygg: a photo made smaller on the device before it is sent (the walk's field page, the
   residents' report page). A phone's 12-megapixel picture becomes a JPEG of at most `side`
   pixels, upright, without its EXIF: less to send over a phone's connection, and the server
   keeps such a photo's compressed picture as it is instead of encoding it again. */
(function () {
  "use strict";

  function decode(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () {
        return createImageBitmap(file);
      });
    }
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onload = function () { resolve(image); };
      image.onerror = reject;
      image.src = URL.createObjectURL(file);
    });
  }

  function shrinkPhoto(file, side, quality) {
    return decode(file).then(function (image) {
      var scale = Math.min(1, side / Math.max(image.width, image.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(image.width * scale);
      canvas.height = Math.round(image.height * scale);
      canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", quality); });
    }).then(function (blob) {
      if (!blob) throw new Error("no blob");
      return blob;
    });
  }

  window.Trygg = window.Trygg || {};
  window.Trygg.shrinkPhoto = shrinkPhoto;
})();
