file(REMOVE_RECURSE
  "libtlsdoctor.a"
)
