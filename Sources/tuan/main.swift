print("tuan")
